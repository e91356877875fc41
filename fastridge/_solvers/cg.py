"""Conjugate gradient (Jacobi-preconditioned): on X with implicit centring (the compiled kernel,
primal or dual), or on any operator A = ZᵀWZ (the Gram in memory, a pass over row blocks).  On X,
an ill-conditioned primal solve continues with the randomized Nyström preconditioner
(`fastridge._solvers.nystrom`, the policy's `nystrom_trial`)."""
import numpy as np
from numpy.linalg import LinAlgError

from fastridge import _config, _policy
from fastridge._design import gram, initial_residual, matvec64, offset_columns
from fastridge._preprocessing import SolveResult
from fastridge._solvers.common import SolverSpec, iteration_cap, unit_scale


def _balanced(pr, v):
    """Whether the columns of Z V^{-1/2} have comparable norms (squared norms hⱼ/vⱼ within a
    factor 1/√eps of each other), as the dual (kernel) CG needs: K = Z V⁻¹ Zᵀ sums the columns'
    contributions, so a column far smaller than the others is lost in K's rounding and the
    iteration stalls or breaks down.  The primal CG's Jacobi preconditioner is blind to column
    scales."""
    hv = pr.h[pr.d != 0] / v[pr.d != 0]
    return hv.size == 0 or hv.max() <= hv.min() / np.sqrt(np.finfo(pr.dtype).eps)


class CGState:
    """Conjugate gradient carrying its unknowns from one α to the next.

    The primal unknown is b itself; the dual one (p > n) is a = W^{1/2}(y_c − Zb)/α, which is
    rescaled by α_old/α_new when α changes (the residual moves little between neighbouring α).
    """

    def __init__(self, pr, v, *, B0=None):
        self.pr, self.v = pr, v
        dt = pr.dtype
        self.B = np.zeros((pr.k, pr.p), dtype=dt) if B0 is None else np.array(B0, dtype=dt)
        from fastridge._view import Design

        self.design = Design(pr.X, pr.xbar, pr.d, pr.center, sw=pr.sw)
        self.Y = [np.ascontiguousarray(pr.Yc[:, t]) for t in range(pr.k)]
        self.dual_ok = pr.p > pr.n and bool(np.all(v > 0)) and _balanced(pr, v)
        self.A = [None] * pr.k          # dual unknowns, with the α they belong to
        self.A_alpha = [None] * pr.k
        # The kernels centre implicitly, Z u = X(d∘u) − (x̄ᵀ(d∘u)) 1: with a column mean far
        # beyond its spread the product loses about eps·|x̄|/σ of its digits (most of them in
        # float32), and so does the kernel's own measure of convergence.  Then the gradient
        # at the result is measured again, in float64 with numpy, so that stopping short of
        # tol is always reported.
        self.recheck = offset_columns(pr).size > 0
        self._sketch = None

    def sketch(self):
        """The Nyström sketch of this problem (`nystrom.NystromSketch`), made at first use and
        kept (it does not depend on α; a smaller α may grow it)."""
        if self._sketch is None:
            from fastridge._solvers.nystrom import NystromSketch

            self._sketch = NystromSketch(self.pr, self.v)
        return self._sketch

    def start_from(self, B, alpha):
        """Next solve at `alpha` starts at B (k, p); the dual unknowns follow from it."""
        self.B[...] = B
        self.A = [None] * self.pr.k

    def _dual_start(self, t, a):
        pr = self.pr
        if self.A[t] is not None and self.A_alpha[t] > 0:
            return (self.A[t] * (self.A_alpha[t] / a)).astype(pr.dtype)
        b0 = self.B[t].astype(np.float64)
        if not np.any(b0):
            return np.zeros(pr.n, dtype=pr.dtype)
        r0 = initial_residual(pr, t, b0).astype(np.float64)
        if pr.center:
            r0 -= r0 @ pr.sw / pr.W if pr.sw is not None else r0.mean()
        if pr.sqw is not None:
            r0 *= pr.sqw
        return (r0 / a).astype(pr.dtype)

    def _jacobi(self, t, x, b_out, a, jw, dual, tol, max_iter):
        """Jacobi-preconditioned CG for target t at α = a from x (the kernel's (measure,
        tolerance, iterations))."""
        from fastridge import _cg_fast

        return _cg_fast.ridge_cg(self.design, self.Y[t], x, b_out, alpha=a, v=self.v,
                                 h=preconditioner_diagonal(self.pr.h, a), jw=jw, dual=dual,
                                 tol=tol, max_iter=max_iter, nthreads=_config.num_threads())

    def solve(self, alphas, tol, max_iter):
        from fastridge import _cg_fast

        pr, v = self.pr, self.v
        max_iter = iteration_cap("cg", max_iter)
        n_iter = np.zeros(pr.k, dtype=np.intp)
        measure, tol_abs = np.zeros(pr.k), np.zeros(pr.k)
        for t in range(pr.k):
            a = float(alphas[t])
            dual = self.dual_ok and a > 0
            if dual and self.A[t] is None and np.any(self.B[t]):
                # a start given as b (warm start, extrapolated path point): if b already meets
                # the tolerance, keep it — the dual unknown rebuilt from b would not
                m, ta = _primal_gradient(pr, v, t, self.B[t].astype(np.float64), a, tol)
                if m <= ta:
                    measure[t], tol_abs[t] = m, ta
                    continue
            x = self._dual_start(t, a) if dual else self.B[t].copy()
            b_out = np.empty(pr.p, dtype=pr.dtype)
            jw = unit_scale(pr.h, v, a)
            trial = _policy.nystrom_trial(pr, v, a, offset_columns=self.recheck, dual=dual)
            m, ta, it = self._jacobi(t, x, b_out, a, jw, dual, tol,
                                     max_iter if trial is None else min(max_iter, trial))
            if trial is not None and m > ta and it < max_iter:
                # Jacobi has not converged within its trial: ill-conditioned, go on from
                # its iterate with the Nyström preconditioner (primal, as the trial was)
                x = b_out.copy()
                try:
                    U, coef, scale = self.sketch().preconditioner(a)
                except LinAlgError:  # no usable sketch: Jacobi goes on
                    m, ta, more = self._jacobi(t, x, b_out, a, jw, False, tol, max_iter - it)
                else:
                    m, ta, more = _cg_fast.ridge_cg_nystrom(
                        self.design, self.Y[t], x, b_out, alpha=a, v=v, U=U, coef=coef,
                        scale=scale, jw=jw, tol=tol, max_iter=max_iter - it,
                        nthreads=_config.num_threads())
                it += more
            self.B[t] = b_out
            self.A[t], self.A_alpha[t] = (x, a) if dual else (None, None)
            if self.recheck:
                m, ta = _primal_gradient(pr, v, t, b_out.astype(np.float64), a, tol,
                                         with_floor=True)
            n_iter[t], measure[t], tol_abs[t] = it, m, ta
        return SolveResult(self.B.astype(np.float64), n_iter, "cg", measure, tol_abs)


class GramOperator:
    """A = ZᵀWZ as the p × p Gram in memory (formed once, one pass over X), with ZᵀW y_c."""

    def __init__(self, pr):
        G, C = gram(pr)
        self.G, self.rhs = G.astype(np.float64), C.astype(np.float64)
        self.diagonal = np.diag(self.G).copy()

    def apply(self, P):
        return self.G @ P


class OperatorCG:
    """Jacobi-preconditioned CG on (A + αV) b = c for the targets together, A = ZᵀWZ given as an
    operator (`apply`, `rhs` = ZᵀW y_c, `diagonal` of A): the Gram in memory
    (:class:`GramOperator`: O(p²) iterations for tall data and statistics), or one pass over
    row blocks that live elsewhere (the Dask backend's).  Each target runs its own recurrence;
    the targets still iterating share one `apply` per iteration.  When the recursive residual
    meets the tolerance the true residual is formed and, if it does not, CG restarts from there
    (drift cannot fake convergence); a breakdown (pᵀAp ≤ 0: precision exhausted) stops the
    target.  Same warm-start protocol as `CGState`."""

    def __init__(self, pr, v, op, *, B0=None):
        self.pr, self.v, self.op = pr, v, op
        self.B = np.zeros((pr.k, pr.p)) if B0 is None else np.array(B0, dtype=np.float64)

    def start_from(self, B, alpha=None):
        self.B[...] = B

    def solve(self, alphas, tol, max_iter):
        pr, v, op = self.pr, self.v, self.op
        max_iter = iteration_cap("cg", max_iter)
        a = np.broadcast_to(np.asarray(alphas, dtype=np.float64), (pr.k,))
        C = np.asarray(op.rhs, dtype=np.float64)
        jw = unit_scale(pr.h[:, None], v[:, None], a[None, :])              # (p, k)
        tol_abs = tol * np.linalg.norm(jw * C, axis=0)
        av = v[:, None] * a[None, :]
        dg = np.stack([preconditioner_diagonal(op.diagonal, float(at)) for at in a],
                      axis=1) + av
        minv = np.where(dg > 0, 1.0 / np.where(dg > 0, dg, 1.0), 1.0)
        X = self.B.T.copy()                                                 # (p, k)

        def residual(cols):
            return C[:, cols] - (op.apply(X[:, cols]) + av[:, cols] * X[:, cols])

        n_iter = np.zeros(pr.k, dtype=np.intp)
        R = residual(np.arange(pr.k))
        todo = np.linalg.norm(jw * R, axis=0) > tol_abs
        todo &= n_iter < max_iter
        while todo.any():
            cols = np.flatnonzero(todo)
            broke = self._iterate(X, R, cols, av, minv, jw, tol_abs, n_iter, max_iter)
            R[:, cols] = residual(cols)             # the true residual
            todo[cols] = ~broke & (np.linalg.norm(jw[:, cols] * R[:, cols], axis=0)
                                   > tol_abs[cols]) & (n_iter[cols] < max_iter)
        self.B = np.ascontiguousarray(X.T)
        return SolveResult(self.B.copy(), n_iter, "cg", np.linalg.norm(jw * R, axis=0), tol_abs)

    def _iterate(self, X, R, cols, av, minv, jw, tol_abs, n_iter, max_iter):
        """One CG run from the residuals R[:, cols], updating X, R and n_iter in place; returns
        which of `cols` broke down."""
        op = self.op
        Rc, Xc = R[:, cols], X[:, cols]
        Zm = minv[:, cols] * Rc
        P = Zm.copy()
        rz = np.einsum("ij,ij->j", Rc, Zm)
        active = np.ones(cols.size, dtype=bool)
        broke = np.zeros(cols.size, dtype=bool)
        while active.any():
            act = np.flatnonzero(active)
            Pa = P[:, act]
            Q = op.apply(Pa) + av[:, cols[act]] * Pa
            pq = np.einsum("ij,ij->j", Pa, Q)
            n_iter[cols[act]] += 1
            bad = (pq <= 0.0) | (rz[act] <= 0.0)
            broke[act[bad]] = True
            good = act[~bad]
            step = rz[good] / pq[~bad]
            Xc[:, good] += step * P[:, good]
            Rc[:, good] -= step * Q[:, ~bad]
            done = np.linalg.norm(jw[:, cols[good]] * Rc[:, good], axis=0) <= tol_abs[cols[good]]
            done |= n_iter[cols[good]] >= max_iter
            active[act[bad]] = False
            active[good[done]] = False
            go = good[~done]
            if go.size:
                Zg = minv[:, cols[go]] * Rc[:, go]
                rz_new = np.einsum("ij,ij->j", Rc[:, go], Zg)
                P[:, go] = Zg + (rz_new / rz[go]) * P[:, go]
                rz[go] = rz_new
        X[:, cols] = Xc
        R[:, cols] = Rc
        return broke


def _primal_gradient(pr, v, t, b, alpha, tol, with_floor=False):
    """(‖jw ∘ g(b)‖, tol · ‖jw ∘ g(0)‖) for target t, g(b) = Zᵀ W (y_c − Z b) − α V b, in
    float64 with numpy, jw = `unit_scale` (the iterative solvers' stopping rule).

    With `with_floor`, the second value also holds what rounding leaves of the gradient in any
    case — at the working precision, eps · (‖H‖ ‖b‖ + ‖W^½Z‖ ‖W^½y_c‖) with ‖H‖ ≤ Σ hⱼ + α max v
    and ‖W^½Z‖² ≤ Σ hⱼ; and in this float64 evaluation, whose centring is implicit too — both
    times max jw, which bounds their scaled norm."""
    X = pr.X
    y = pr.Yc[:, t].astype(np.float64)
    db = pr.d * b
    Xdb = matvec64(X, db)
    shift = pr.xbar @ db if pr.center else 0.0
    r = y - (Xdb - shift)
    w = 1.0 if pr.sw is None else pr.sw.astype(np.float64)

    def zt_w(u):
        wu = w * u
        return pr.d * (matvec64(X, wu, transpose=True) - pr.xbar * wu.sum())

    jw = unit_scale(pr.h, v, alpha)
    g = jw * (zt_w(r) - alpha * v * b)
    tol_abs = tol * float(np.linalg.norm(jw * zt_w(y)))
    floor = 0.0
    if with_floor:
        sw = np.sqrt(w) * np.ones(pr.n)
        trace = float(pr.h.sum())
        eps = np.finfo(pr.dtype).eps
        floor += eps * ((trace + alpha * float(v.max(initial=0.0))) * float(np.linalg.norm(b))
                          + np.sqrt(trace) * float(np.linalg.norm(sw * y)))
        size = pr.d * (np.abs(pr.xbar) * np.sqrt(pr.W) + np.sqrt(pr.ss))
        terms = np.abs(y) + np.abs(Xdb) + abs(shift)
        floor += np.finfo(np.float64).eps * pr.n * (
            float(np.linalg.norm(size)) * float(np.linalg.norm(sw * terms)))
    return float(np.linalg.norm(g)), tol_abs + floor * float(jw.max(initial=0.0))


def multishift_applies(pr, v, alphas, limits=False):
    """Whether `multishift_path` serves a "cg" path over `alphas` (the policy's
    `_policy.multishift_cg`)."""
    return _policy.multishift_cg(pr, v, alphas, offset_columns=offset_columns(pr).size,
                                 limits=limits)


def multishift_path(pr, v, alphas, tol, max_iter):
    """Every α of a path from one multi-shift CG solve per target (`_cg_fast.ridge_cg_multishift`).

    With equal penalty factors v₀ on the columns that move, (ZᵀWZ + αV) = A₀ + (α − α₀)v₀ I
    with A₀ = ZᵀWZ + α₀V at the smallest α₀: one CG on A₀ (from b = 0) yields every α's
    solution, each α stopping when its own residual ‖ZᵀW(y_c − Zb) − αVb‖ ≤ tol · ‖ZᵀW y_c‖
    (the iterative solvers' rule, `unit_scale`, whose scale is the same for every column here).
    The seed's true residual is then checked (one more product); if rounding let the recursion
    run ahead of it, the seed α continues with the warm-started kernel from there.

    The solve runs first in its Krylov form (`multishift_krylov`: the recursions on each α's
    coordinates in the seed's residuals, then B = coords @ basis, one product), which spares
    every iteration the read and write of each α's two p-vectors; when that form gives up
    (more than 2m iterations, an α short, the seed's true residual above tol), the kernel
    runs again keeping the m solutions and directions themselves.

    Returns B (m, k, p) float64, n_iter (m,) and the α that stopped short.  n_iter is counted
    as a warm-started path counts it — the products with ZᵀWZ spent on the way from the
    previous α to this one — so ``n_iter[:i + 1].sum()`` is the iteration at which α_i (summed
    over targets) had converged and ``n_iter.sum()`` the products of the whole path.
    """
    from fastridge import _cg_fast

    design, shifts, a0, seed, max_iter = _multishift_setup(pr, v, alphas, max_iter)
    alphas = np.asarray(alphas, dtype=np.float64)
    m, k, p = alphas.size, pr.k, pr.p
    B = np.empty((m, k, p))
    n_iter = np.zeros(m, dtype=np.intp)
    short = np.zeros(m, dtype=bool)
    for t in range(k):
        y = np.ascontiguousarray(pr.Yc[:, t])
        # the Krylov form first: O(iterations) per α and iteration, then one product
        form = _krylov_target(pr, v, design, y, shifts, a0, tol, max_iter)
        if form is not None:
            basis, coords, it = form
            if k == 1:  # B[:, 0, :] is C-contiguous: the product writes into B itself
                np.matmul(coords, basis, out=B[:, 0, :])
            else:
                B[:, t, :] = coords @ basis
            late = np.zeros(m, dtype=bool)
        else:
            # k = 1 in float64: the kernel writes into B itself (no (m, p) copy)
            out = B[:, 0, :] if k == 1 and pr.dtype == np.float64 \
                else np.empty((m, p), dtype=pr.dtype)
            measure, rhs_norm, it, seed_measure = _cg_fast.ridge_cg_multishift(
                design, y, shifts, out, alpha=a0, v=v, tol=tol, max_iter=max_iter,
                nthreads=_config.num_threads())
            late = _continue_seed(pr, v, design, y, out, a0, seed, measure, rhs_norm, it,
                                  seed_measure, tol, max_iter)
            if out.base is not B:
                B[:, t, :] = out
        short |= late
        # along the path (α descending here), the products spent since the previous α
        reached = np.maximum.accumulate(it[np.argsort(-alphas, kind="stable")])
        steps = np.diff(reached, prepend=0)
        n_iter[np.argsort(-alphas, kind="stable")] += steps
    return B, n_iter, alphas[short]


def _continue_seed(pr, v, design, y, out, a0, seed, measure, rhs_norm, it, seed_measure, tol,
                   max_iter):
    """The α that stopped short (m,) after the kernel's m solutions `out`; the seed, when
    rounding let its recursion run ahead of its true residual, continued with the
    warm-started kernel from there (in `out` and `it`)."""
    from fastridge import _cg_fast

    tol_abs = tol * rhs_norm
    late = measure > tol_abs
    late[seed] = seed_measure > tol_abs
    if late[seed] and it[seed] < max_iter:
        x = out[seed].copy()
        b = np.empty(pr.p, dtype=pr.dtype)
        mm, ta, extra = _cg_fast.ridge_cg(
            design, y, x, b, alpha=a0, v=v, h=preconditioner_diagonal(pr.h, a0),
            jw=unit_scale(pr.h, v, a0), dual=False, tol=tol,
            max_iter=max_iter - int(it[seed]), nthreads=_config.num_threads())
        out[seed] = b
        it[seed] += extra
        late[seed] = mm > ta
    return late


def _multishift_setup(pr, v, alphas, max_iter):
    """(design, shifts, α₀, the seed's index, max_iter) of a multi-shift solve over `alphas`:
    the seed is the smallest α, the shifts (α − α₀)v₀ with v₀ the moving columns' factor."""
    from fastridge._view import Design

    alphas = np.asarray(alphas, dtype=np.float64)
    v0 = float(v[pr.d != 0].max())
    a0 = float(alphas.min())
    design = Design(pr.X, pr.xbar, pr.d, pr.center, sw=pr.sw)
    return design, (alphas - a0) * v0, a0, int(np.argmin(alphas)), iteration_cap("cg", max_iter)


def _krylov_target(pr, v, design, y, shifts, a0, tol, max_iter):
    """One target's multi-shift solve in its Krylov form: (basis (c, p), coords (m, c),
    n_iter (m,)) with bₛ = coords[s] @ basis, or None when an α did not meet the tolerance
    within the 2m + 1 rows the basis holds or the seed's true residual is above it."""
    from fastridge import _cg_fast

    m, p = shifts.size, pr.p
    cap = min(max_iter, 2 * m) + 1
    basis = np.empty((cap, p), dtype=pr.dtype)
    coords = np.empty((m, cap))
    measure, rhs_norm, it, seed_measure, rows = _cg_fast.ridge_cg_multishift(
        design, y, shifts, np.empty((1, p), dtype=pr.dtype), alpha=a0, v=v, tol=tol,
        max_iter=max_iter, nthreads=_config.num_threads(), basis=basis, coords=coords)
    if np.any(measure > tol * rhs_norm) or seed_measure > tol * rhs_norm:
        return None
    return basis[:rows], coords[:, :rows], it


def multishift_krylov(pr, v, alphas, tol, max_iter):
    """Every α of a path in the Krylov form of one multi-shift CG solve per target
    (`_cg_fast.ridge_cg_multishift` with a basis): for target t, (basis (cₜ, p), coords
    (m, cₜ)) with bₛ = coords[s] @ basis — the same recursions as the m solutions' form, kept
    on the coordinates, so that a product of rows with the path needs cₜ vectors (the
    iterations + 1) instead of m, and the (m, p) solutions are never formed.

    The basis holds at most 2m + 1 rows (no more memory than the m solutions and m
    directions of the other form).  None when an α did not meet the tolerance within them,
    or the seed's true residual is above it (the caller then takes `multishift_path`, which
    continues the seed and reports the α that stop short)."""
    design, shifts, a0, _, max_iter = _multishift_setup(pr, v, alphas, max_iter)
    forms = []
    for t in range(pr.k):
        form = _krylov_target(pr, v, design, np.ascontiguousarray(pr.Yc[:, t]), shifts, a0,
                              tol, max_iter)
        if form is None:
            return None
        forms.append(form[:2])
    return forms


def preconditioner_diagonal(h, alpha):
    """The diagonal of ZᵀWZ used by CG's Jacobi preconditioner: `h` itself when α > 0.

    At α = 0 the least-squares solution need not be unique.  CG on the normal equations keeps
    its iterates in the row space of Z only with a scalar preconditioner (a diagonal one would
    make it converge to the solution of least weighted norm), so α = 0 uses the mean of the
    nonzero hⱼ for every column: from b = 0 (a cold fit), CG then converges to the
    minimum-norm least-squares solution, the one `solve_svd` returns; from a start b₀ (warm
    start), to the least-squares solution nearest b₀."""
    if alpha > 0:
        return h
    active = h > 0
    return np.where(active, h[active].mean() if active.any() else 0.0, 0.0)


def cg_state(pr, v, *, B0=None, gram=False):
    """The CG state for a problem: on its operator (rows elsewhere), on the Gram
    (`OperatorCG` with `GramOperator`) when the policy says so (`_policy.cg_on_gram`: asked for
    by a tall path, a problem given by statistics, or a column whose mean exceeds its spread —
    the kernels on X centre implicitly and would lose eps·|x̄|/σ of every product to it), else
    on X (`CGState`)."""
    if pr.op is not None:
        return OperatorCG(pr, v, pr.op, B0=B0)
    if _policy.cg_on_gram(pr, offset_columns(pr).size, asked=gram):
        return OperatorCG(pr, v, GramOperator(pr), B0=B0)
    return CGState(pr, v, B0=B0)


SPEC = SolverSpec("cg", frozenset({"rows", "stats", "operator"}), positive=False,
                  alpha_zero=True, warm_start=True, iterative=True)


def solve(pr, alphas, v, *, positive=False, tol=1e-6, max_iter=None, B0=None):
    """Conjugate gradient from B0 (or 0) at each target's α (at α = 0 from 0: the
    minimum-norm least-squares solution)."""
    return cg_state(pr, v, B0=B0).solve(alphas, tol, max_iter)


def state(pr, v, *, positive=False):
    """The state a path carries from one α to the next (on the Gram for a tall dense path)."""
    return cg_state(pr, v, gram=_policy.path_gram_cg(pr))
