"""The path engine: the default α grid (glmnet's), and the solutions over a grid from the
largest α down, warm-started by extrapolation in log α for the iterative solvers (or, for CG
where the policy allows it, every α from one multi-shift solve)."""
import numpy as np

from fastridge import _design as D, _policy, _preprocessing as P, _solvers as S, _validation as V
from fastridge._progress import Progress, due, seconds
from fastridge.exceptions import ConvergenceWarning, warn


def default_alphas(pr, v, n_alphas=100, alpha_min_ratio=None):
    """R glmnet's default ``lambda`` sequence for ``alpha=0``, converted to this package's α.

    With Z̃ the columns as the fit sees them (centred when fitting an intercept, divided by
    their weighted SD with `standardize`), W = Σ wᵢ, σ_y the weighted population SD of y (its
    weighted root mean square without an intercept) and r the residual of the weighted
    least-squares fit of y on the intercept and the unpenalized columns (vⱼ = 0; r = y − ȳ when
    every column is penalized)::

        alpha_max = maxⱼ |z̃ⱼᵀ W r| / (vⱼ · 0.001 · σ_y)

    over the penalized columns (and, for several targets, the largest over the targets, each
    with its own σ_y), then `n_alphas` values log-spaced down to ``alpha_min_ratio *
    alpha_max``; `alpha_min_ratio` None means 1e-4 when n ≥ p, else 1e-2.  This is glmnet's
    λ_max (``max|gⱼ|/(vⱼ · max(alpha, 0.001))`` on y divided by σ_y, then scaled back) through
    α = W·λ·(p/Σv)/σ_y (see the Notes of :func:`fastridge.ridge_path`).  When no penalized column
    correlates with y (constant y, say), alpha_max = 1.

    Parameters
    ----------
    pr : Problem
        The prepared problem (:func:`fastridge._preprocessing.prepare` or the statistics').
    v : ndarray of shape (n_features,)
        Penalty factors.
    n_alphas : int, default=100
        Number of values.
    alpha_min_ratio : float in (0, 1], default=None
        Smallest α as a fraction of the largest.

    Returns
    -------
    ndarray of shape (n_alphas,)
        The grid, descending.
    """
    if alpha_min_ratio is None:
        alpha_min_ratio = 1e-4 if pr.n >= pr.p else 1e-2
    g = np.abs(null_gradient(pr, v))                # (p, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        sy = np.sqrt(np.asarray(pr.yss, dtype=np.float64) / pr.W)
    pen = (v > 0) & (pr.d != 0)
    live = np.isfinite(sy) & (sy > 0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # see below
        amax = float(np.max(g[np.ix_(pen, live)] / (v[pen, None] * 0.001) / sy[live])) \
            if pen.any() and live.any() else 0.0
    if not np.isfinite(amax) or amax <= 0.0:
        amax = 1.0
    if n_alphas == 1:
        return np.array([amax])
    return np.geomspace(amax, amax * alpha_min_ratio, int(n_alphas))


def null_gradient(pr, v):
    """Z̃ᵀ W r (p × k, float64, fit coordinates), r the residual of the weighted least-squares
    fit of the centred targets on the unpenalized columns (vⱼ = 0): the gradient at the
    solution for α → ∞, from which glmnet takes its largest λ."""
    free = np.flatnonzero((v == 0) & (pr.d != 0))
    if pr.C0 is not None:  # ZᵀW y_c came with the Gram, the statistics or the operator
        C = pr.C0 * pr.d[:, None]
        # an operator Problem (rows elsewhere) gives the cross products of the free columns
        cross = pr.op.cross(free) if free.size and pr.G0 is None and pr.op is not None \
            else None
        if free.size and (pr.G0 is not None or cross is not None):
            G = (pr.G0[:, free] if cross is None else cross) * pr.d[:, None] \
                * pr.d[free][None, :]
            b0 = np.linalg.lstsq(G[free], C[free], rcond=None)[0]
            C = C - G @ b0
        return C
    A = pr.Yc.astype(np.float64)
    if pr.sqw is not None:
        A = A * pr.sqw[:, None]
    if free.size and pr.X is not None:
        Xf = pr.X[:, free]
        Zf = (Xf.toarray() if hasattr(Xf, "toarray") else np.asarray(Xf, dtype=np.float64)) \
            - pr.xbar[free]
        Zf = Zf * pr.d[free]
        if pr.sqw is not None:
            Zf = Zf * pr.sqw[:, None]
        A = A - Zf @ np.linalg.lstsq(Zf, A, rcond=None)[0]
    return D.zt(pr, pr.d, A)


def extrapolate(prev_alphas, prev_B, a):
    """Polynomial extrapolation in log α of the last (up to three) solutions to α = a.

    The solution is a smooth function of log α, so on a log-spaced grid the error of a degree-d
    extrapolation is O(hᵈ⁺¹) in the grid step h, against O(h) for the previous solution alone:
    the warm start lands much closer and the iterative solver needs far fewer iterations.
    """
    if prev_alphas.size < 2 or a <= 0 or np.any(prev_alphas <= 0):
        return None
    t = np.log(prev_alphas)
    if np.any(np.diff(t) >= 0):
        return None
    x = np.log(a)
    weights = np.ones(t.size)  # Lagrange basis at x
    for j in range(t.size):
        for m in range(t.size):
            if m != j:
                weights[j] *= (x - t[m]) / (t[j] - t[m])
    return np.tensordot(weights, prev_B, axes=1)


def solve_path(pr, v, alphas, solver, *, tol, max_iter, report=None, history=None,
               keep=None, limits=None):
    """Fit-coordinate solutions for each α of `alphas` (descending): B (m, k, p), n_iter (m,),
    df or None, the solver used, and a list of α at which an iterative solver stopped short.

    `history` (or None): (α (h,), B (h, k, p)), solutions of the same problem at α above
    ``alphas[0]`` (a path continued below its end); the iterative solvers' first α then start
    from their extrapolation, as if the path had not stopped.

    `report` (a :class:`PathReport` or None) hears the solver once and each α as it is done.
    `keep` (a dict or None) receives the decomposition of the "eigen" path as
    ``keep["spectrum"]``, for the caller's further use at other α.
    `limits` (or None): raw-scale box limits (lower, upper); only CD honours them ("auto" takes
    it, another solver raises).
    """
    from fastridge import _spectral

    m, k = alphas.size, pr.k
    B = np.zeros((m, k, pr.p))
    n_iter = np.zeros(m, dtype=np.intp)
    df, short = None, []
    used = _policy.path_solver(pr, v, solver, limits=limits is not None)
    S.check_options(used, limits=limits is not None)
    if used == "cd" and solver == "auto" and np.any(alphas == 0.0) and limits is None:
        used = "cholesky"  # direct solves: at α = 0, the SVD's minimum-norm one if singular
    step = no_report if report is None else report.step
    if report is not None:
        report.begin(used, alphas)
    if used == "eigen":
        if _policy.spectral_unavailable(pr, v) is not None:
            raise ValueError("solver='eigen' needs positive penalty factors and a Gram/kernel "
                             "matrix that fits in memory; use solver='auto'.")
        spec = _spectral.spectrum(pr, v)
        if keep is not None:
            keep["spectrum"] = spec
        for i, a in enumerate(alphas):
            if a == 0.0 and np.ptp(v[pr.d != 0]) > 0:
                # the spectrum's α → 0 limit is the solution of least norm ‖√v∘b‖; the
                # least-squares problem does not involve v, and its minimum-norm solution
                # (in b, as every solver returns it) comes from the SVD
                B[i] = S.solve(pr, np.zeros(k), v, "svd").coef
            else:
                B[i] = spec.coef(np.full(k, a))
            step(i, a, 0)
        df = spec.df(alphas)
    elif used == "cg" and S.cg.multishift_applies(pr, v, alphas, limits is not None):
        # every α from one Krylov space (equal penalty factors and column scales); from b = 0,
        # so a `history` has nothing to add
        B, n_iter, short_at = S.cg.multishift_path(pr, v, alphas, tol, max_iter)
        short = [float(a) for a in short_at]
        for i, a in enumerate(alphas):
            step(i, a, n_iter[i])
    elif S.spec(used).warm_start:
        state = S.path_state(pr, v, used, limits)
        if history is not None and not (history[0].size and np.all(history[0] > alphas[0])):
            history = None
        for i, a in enumerate(alphas):
            prev_a, prev_B = alphas[max(0, i - 3):i], B[max(0, i - 3):i]
            if history is not None and i < 3:
                prev_a = np.concatenate([history[0], prev_a])[-3:]
                prev_B = np.concatenate([history[1], prev_B])[-3:]
            start = extrapolate(prev_a, prev_B, a)
            if start is None and i == 0 and history is not None:
                start = history[1][-1]
            if a == 0.0 and limits is None:
                # CG reaches the minimum-norm least-squares solution from a start in the row
                # space of Z; the penalized solutions before are not in it (unequal v)
                start = np.zeros((k, pr.p))
            if start is not None:
                state.start_from(start, a)
            res = state.solve(np.full(k, a), tol, max_iter)
            B[i] = res.coef
            n_iter[i] = int(res.n_iter.sum())
            if res.short().size:
                short.append(float(a))
            step(i, a, n_iter[i])
    elif used == "cholesky":
        state = S.path_state(pr, v, used)
        for i, a in enumerate(alphas):
            B[i] = state.solve(np.full(k, a)).coef
            step(i, a, 0)
    else:  # svd (from sufficient statistics: the eigendecomposition of the Gram)
        for i, a in enumerate(alphas):
            B[i] = S.solve(pr, np.full(k, a), v, "svd").coef
            step(i, a, 0)
    return B, n_iter, df, used, short


def warn_short(short, used, tol, stacklevel=3):
    """One ConvergenceWarning for a whole path, listing the α where the solver stopped short."""
    if short:
        listed = ", ".join(f"{a:.4g}" for a in short[:10])
        more = f" and {len(short) - 10} more" if len(short) > 10 else ""
        warn(ConvergenceWarning,
             f"ridge_path solver={used!r} stopped at max_iter before reaching tol={tol} at "
             f"alpha = {listed}{more}. Increase max_iter or use solver='auto'.",
             stacklevel=stacklevel)


def no_report(i, alpha, n_iter):
    return None


def raw_path(pr, v, grid, solver, *, tol, max_iter, dtype, report=None, history=None,
             keep=None, limits=None):
    """`solve_path` mapped back to the raw scale: coef (m, k, p) and intercept (m, k) float64,
    checked against `dtype`'s range; with n_iter, df, the solver used and the α where an
    iterative solver stopped short, as `solve_path` gives them."""
    B, n_iter, df, used, short = solve_path(pr, v, grid, solver, tol=tol, max_iter=max_iter,
                                            report=report, history=history, keep=keep,
                                            limits=limits)
    # every α at once, in B's own memory (a fresh (m, k, p) array and m small ones cost more
    # in first-touch page faults than the arithmetic, on a sparse path with large p)
    coef, intercept = P.to_raw(pr, B, limits, overwrite=True)
    V.check_output_range(dtype, coef, intercept)
    return coef, intercept, n_iter, df, used, short


def krylov_forms(pr, v, grid, solver, *, tol, max_iter):
    """The Krylov forms (`S.cg.multishift_krylov`: per target, basis (c, p) and coords
    (m, c) with b(α) = coords[α] @ basis) of the path over `grid`, when it is one multi-shift
    CG solve per target that stays in that form; else None (the caller takes `raw_path`)."""
    if _policy.path_solver(pr, v, solver) != "cg" or not S.cg.multishift_applies(pr, v, grid):
        return None
    return S.cg.multishift_krylov(pr, v, grid, tol, max_iter)


def krylov_rows(pr, forms, X_rows):
    """The path's predictions at rows `X_rows` in the Krylov form: per target t, Hₜ
    (n_r, cₜ) with X_rows β(α) + β₀(α) = Hₜ coordsₜ[α] + β₀⁰ₜ; returns ([Hₜ], β₀⁰ (k,)).

    With b(α) = Σᵢ cᵢ(α) rᵢ, β = d∘b is linear in b and β₀ = ȳ − x̄ᵀβ affine, so with (βᵢ, β₀ᵢ)
    the raw form (`P.to_raw`) of rᵢ and β₀⁰ that of b = 0::

        X_rows β(α) + β₀(α) = Σᵢ cᵢ(α) (X_rows βᵢ + β₀ᵢ − β₀⁰) + β₀⁰

    one product of the rows with c vectors (the iterations + 1) instead of m."""
    from fastridge._base import linear_predict

    icpt0 = P.to_raw(pr, np.zeros((1, pr.k, pr.p)))[1][0]          # β₀⁰ (k,)
    rows = []
    for t, (basis, _) in enumerate(forms):
        coef_i, icpt_i = P.to_raw(pr, basis[:, None, :])      # (c, 1, p), (c, k)
        rows.append(np.asarray(linear_predict(X_rows, coef_i[:, 0, :], icpt_i[:, t] - icpt0[t]),
                               dtype=np.float64))
    return rows, icpt0


def krylov_predictions(pr, forms, X_rows):
    """The path's predictions X_rows β(α) + β₀(α) (n_r, m, k) float64 at every α, from its
    Krylov forms (`krylov_rows`)."""
    rows, icpt0 = krylov_rows(pr, forms, X_rows)
    m, k = forms[0][1].shape[0], pr.k
    pred = np.empty((X_rows.shape[0], m, k))
    for t, (H, (_, coords)) in enumerate(zip(rows, forms)):
        if k == 1:  # pred[:, :, 0] is C-contiguous: the product writes into it
            np.matmul(H, coords.T, out=pred[:, :, 0])
        else:
            pred[:, :, t] = H @ coords.T
        pred[:, :, t] += icpt0[t]
    return pred


def krylov_tail(pr, forms, tail=3):
    """The path's raw-scale coef (tail, k, p) and intercept (tail, k) at its last `tail` α
    (all of them if fewer), from its Krylov forms."""
    m = forms[0][1].shape[0]
    tail = min(tail, m)
    B = np.empty((tail, pr.k, pr.p))
    for t, (basis, coords) in enumerate(forms):
        B[:, t, :] = coords[m - tail:] @ basis
    return P.to_raw(pr, B, overwrite=True)


class PathReport:
    """The progress lines of one path (``verbose >= 1``), on sys.stderr.

    A header when the solver is known, one line per α that :func:`fastridge._progress.due`
    selects (about every 10 % of the grid at ``verbose=1``, every α from 2 on), and a summary.
    """

    def __init__(self, label, verbose, what):
        self.out = Progress(label, verbose)
        self.verbose = int(verbose)
        self.what = what
        self.total_iter = 0
        self.m = 0

    def begin(self, solver, alphas):
        self.m = int(alphas.size)
        self.out.write(f"{self.m} alpha{'s' if self.m != 1 else ''} from {alphas[0]:.4g} "
                       f"down to {alphas[-1]:.4g}, solver {solver!r}, X {self.what}")

    def step(self, i, alpha, n_iter):
        self.total_iter += int(n_iter)
        if due(i + 1, self.m, self.verbose):
            pct = 100 * (i + 1) // self.m
            self.out.write(f"alpha {i + 1}/{self.m} ({pct}%): alpha={alpha:.4g}, "
                           f"{int(n_iter)} iterations, elapsed {seconds(self.out.elapsed())}")

    def end(self, solver, short):
        tail = f", max_iter reached at {len(short)} alpha" if short else ""
        self.out.write(f"done: {self.m} alphas in {seconds(self.out.elapsed())}, "
                       f"{self.total_iter} iterations in all, solver {solver!r}{tail}")
