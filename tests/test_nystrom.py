"""Randomized Nyström preconditioning of CG (`_solvers.nystrom`, `_cg_fast.ridge_cg_nystrom`).

Oracles: the closed form in float64 (`ridge_oracle`, explicit centring/scaling and a numpy
solve), the eigenvalues of the sketched matrix from numpy's eigh, and Jacobi-CG's own iteration
count on the same problem."""
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import ridge_oracle
from fastridge import Ridge, _policy
from fastridge._preprocessing import prepare
from fastridge._solvers import cg as cg_solver
from fastridge._solvers.nystrom import NystromSketch


def ill_conditioned(n=1200, p=300, q=40, seed=0):
    """Sparse X = (S diag(σ) R + 1e-3 E) diag(c): a rank-q part with singular values decaying
    over 1e0..1e-3, a small full-rank sparse part, column scales c spanning 1e±3."""
    rng = np.random.default_rng(seed)
    S = sp.random(n, q, density=0.03, random_state=rng, data_rvs=rng.standard_normal,
                  format="csc")
    R = sp.random(q, p, density=3.0 / q, random_state=rng, data_rvs=rng.standard_normal,
                  format="csc")
    E = sp.random(n, p, density=0.01, random_state=rng, data_rvs=rng.standard_normal,
                  format="csc")
    c = np.logspace(-3, 3, p)[rng.permutation(p)]
    X = sp.csr_matrix((S @ sp.diags(np.logspace(0, -3, q)) @ R + 1e-3 * E) @ sp.diags(c))
    y = X @ (rng.standard_normal(p) / c) + 0.1 * rng.standard_normal(n)
    return X, y


def _cond(X, alpha, standardize):
    Z = X.toarray()
    Z = Z - Z.mean(axis=0)
    if standardize:
        Z = Z / Z.std(axis=0)
    ev = np.linalg.eigvalsh(Z.T @ Z)
    return (ev[-1] + alpha) / (ev[0] + alpha)


@pytest.fixture
def nystrom_calls(monkeypatch):
    """Counts the Nyström kernel's calls (to know the preconditioner did run)."""
    from fastridge import _cg_fast

    calls = []
    real = _cg_fast.ridge_cg_nystrom

    def spy(*args, **kwargs):
        calls.append(kwargs["U"].shape[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(_cg_fast, "ridge_cg_nystrom", spy)
    return calls


@pytest.mark.parametrize("fmt", ["dense", "csr", "csc"])
@pytest.mark.parametrize("fit_intercept,standardize,weighted",
                         [(True, True, True), (True, False, False), (False, True, False),
                          (False, False, True)])
def test_coefficients_equal_closed_form(fmt, fit_intercept, standardize, weighted,
                                        monkeypatch, nystrom_calls):
    # trial of 0 Jacobi iterations: the whole solve is Nyström-preconditioned
    monkeypatch.setattr(_policy, "NYSTROM_TRIAL_ITERATIONS", 0)
    rng = np.random.default_rng(3)
    n, p = 150, 40
    X = rng.standard_normal((n, p)) @ np.diag(np.logspace(-1, 1, p))
    X[rng.random((n, p)) < 0.5] = 0.0
    y = X @ rng.standard_normal(p) + rng.standard_normal(n) + 5.0
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    Xf = X if fmt == "dense" else getattr(sp, f"{fmt}_matrix")(X)
    alpha = 0.7
    m = Ridge(alpha=alpha, solver="cg", tol=1e-12, fit_intercept=fit_intercept,
              standardize=standardize).fit(Xf, y, sample_weight=w)
    coef, intercept = ridge_oracle(X, y, alpha, sample_weight=w, fit_intercept=fit_intercept,
                                   standardize=standardize)
    assert nystrom_calls, "the Nyström kernel did not run"
    np.testing.assert_allclose(m.coef_, coef, rtol=1e-8, atol=1e-10 * np.abs(coef).max())
    np.testing.assert_allclose(m.intercept_, intercept, rtol=1e-8, atol=1e-8)


def test_penalty_factors(monkeypatch, nystrom_calls):
    """V ≠ I: the sketch is of V^{-1/2} ZᵀWZ V^{-1/2}."""
    monkeypatch.setattr(_policy, "NYSTROM_TRIAL_ITERATIONS", 0)
    rng = np.random.default_rng(4)
    X = rng.standard_normal((120, 30))
    y = rng.standard_normal(120)
    v = rng.uniform(0.1, 10.0, 30)
    m = Ridge(alpha=0.3, solver="cg", tol=1e-12, penalty_factor=v).fit(X, y)
    coef, _ = ridge_oracle(X, y, 0.3, penalty_factor=v)
    assert nystrom_calls
    np.testing.assert_allclose(m.coef_, coef, rtol=1e-8)


def test_sketch_is_the_nystrom_approximation():
    """At full rank ℓ = p the sketch reproduces S ZᵀWZ S's eigenvalues (numpy's eigh); at
    ℓ < p its eigenvalues lie below the leading true ones (a Nyström approximation is
    dominated by A)."""
    rng = np.random.default_rng(5)
    n, p = 200, 24
    X = rng.standard_normal((n, p)) @ np.diag(np.logspace(0, -2, p))
    w = rng.uniform(0.5, 2.0, n)
    pr = prepare(X, rng.standard_normal((n, 1)), w, fit_intercept=True, standardize=False)
    v = rng.uniform(0.5, 2.0, p)
    Z = (X - w @ X / w.sum()) * pr.d
    s = 1 / np.sqrt(v)
    A = s[:, None] * (Z.T @ (w[:, None] * Z)) * s[None, :]
    ev = np.sort(np.linalg.eigvalsh(A))[::-1]
    sk = NystromSketch(pr, v, seed=1)
    sk.grow(8)
    assert np.all(sk.lam <= ev[:8] * (1 + 1e-10))
    sk.grow(p)
    np.testing.assert_allclose(sk.lam, ev, rtol=1e-8, atol=1e-12 * ev[0])
    np.testing.assert_allclose((sk.U * sk.lam) @ sk.U.T, A, atol=1e-10 * ev[0])


def test_preconditioner_is_sketch_plus_residual_diagonal():
    """M⁻¹ = diag(s)(I + Ū diag(c) Ūᵀ)diag(s) (what the kernel applies) is the inverse of
    S⁻¹(U diag(λ̂) Uᵀ + diag(max(Aⱼⱼ − (U diag(λ̂) Uᵀ)ⱼⱼ, 0)) + αI)S⁻¹, formed and inverted
    with numpy (A = S ZᵀWZ S, S = V^{-1/2}); its diagonal part makes P's diagonal A + αI's;
    at full rank it is the exact inverse of the system matrix."""
    rng = np.random.default_rng(10)
    n, p, alpha = 300, 40, 0.5
    X = (rng.standard_normal((n, 5)) @ rng.standard_normal((5, p))
         + 0.1 * rng.standard_normal((n, p))) @ np.diag(np.logspace(-1, 1, p))
    w = rng.uniform(0.5, 2.0, n)
    pr = prepare(X, rng.standard_normal((n, 1)), w, fit_intercept=True, standardize=False)
    v = rng.uniform(0.5, 2.0, p)
    Z = (X - w @ X / w.sum()) * pr.d
    H = Z.T @ (w[:, None] * Z)
    s = 1 / np.sqrt(v)
    A = s[:, None] * H * s[None, :]
    sk = NystromSketch(pr, v, seed=2)
    sk.grow(8)
    U, c, scale = sk.preconditioner(alpha)
    assert U.flags.f_contiguous and np.all(c > -1) and np.all(c <= 0)
    np.testing.assert_allclose(U.T @ U, np.eye(U.shape[1]), atol=1e-12)
    L = (sk.U * sk.lam) @ sk.U.T
    P = L + np.diag(np.maximum(np.diag(A) - np.diag(L), 0.0)) + alpha * np.eye(p)
    np.testing.assert_allclose(np.diag(P), np.diag(A) + alpha, rtol=1e-10)
    Minv = scale[:, None] * (np.eye(p) + (U * c) @ U.T) * scale[None, :]
    np.testing.assert_allclose(Minv, np.linalg.inv(P / np.outer(s, s)), rtol=1e-8,
                               atol=1e-10 * np.abs(Minv).max())
    sk.grow(p)
    U, c, scale = sk.preconditioner(alpha)
    Minv = scale[:, None] * (np.eye(p) + (U * c) @ U.T) * scale[None, :]
    # the sketch at ℓ = p is A up to rounding relative to its largest eigenvalue: the
    # preconditioned matrix is the identity within that rounding
    np.testing.assert_allclose(Minv @ (H + alpha * np.diag(v)), np.eye(p), atol=1e-6)


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("fmt", ["csr", "dense"])
def test_ill_conditioned_iterations(standardize, fmt, monkeypatch):
    X, y = ill_conditioned()
    alpha = 1e-3
    assert _cond(X, alpha, standardize) >= 1e6
    Xf = X.toarray() if fmt == "dense" else X
    ny = Ridge(alpha=alpha, solver="cg", tol=1e-10, max_iter=5000,
               standardize=standardize).fit(Xf, y)
    assert ny.n_iter_ <= 100
    coef, _ = ridge_oracle(X, y, alpha, standardize=standardize)
    np.testing.assert_allclose(ny.coef_, coef, rtol=1e-4, atol=1e-6 * np.abs(coef).max())
    # Jacobi alone (the trial never ends): far more iterations, here not done within 1000
    monkeypatch.setattr(_policy, "NYSTROM_TRIAL_ITERATIONS", 10**9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jac = Ridge(alpha=alpha, solver="cg", tol=1e-10, max_iter=1000,
                    standardize=standardize).fit(Xf, y)
    assert jac.n_iter_ >= 10 * ny.n_iter_


def test_well_conditioned_stays_jacobi(nystrom_calls):
    rng = np.random.default_rng(6)
    X = sp.random(500, 60, density=0.2, random_state=rng, format="csr")
    y = rng.standard_normal(500)
    m = Ridge(alpha=1.0, solver="cg", tol=1e-8).fit(X, y)
    assert m.n_iter_ < _policy.NYSTROM_TRIAL_ITERATIONS
    assert not nystrom_calls


def test_policy_rule():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((30, 5))
    pr = prepare(X, rng.standard_normal((30, 1)), None, fit_intercept=True, standardize=False)
    ones = np.ones(5)
    assert _policy.nystrom_trial(pr, ones, 1.0, offset_columns=0) == \
        _policy.NYSTROM_TRIAL_ITERATIONS
    assert _policy.nystrom_trial(pr, ones, 0.0, offset_columns=0) is None
    assert _policy.nystrom_trial(pr, np.r_[0.0, ones[1:]], 1.0, offset_columns=0) is None
    assert _policy.nystrom_trial(pr, ones, 1.0, offset_columns=2) is None
    assert _policy.nystrom_trial(pr, ones, 1.0, offset_columns=0, dual=True) is None


def _svd_ridge(X, y, alpha, fit_intercept):
    """The ridge coefficients from the float64 SVD of the centred X, the zero singular values
    dropped: V diag(s/(s² + α)) Uᵀ y, the minimum-norm least-squares solution as α → 0."""
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if fit_intercept else (X, y)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    r = int(np.sum(s > s[0] * 1e-12))
    return Vt[:r].T @ (s[:r] / (s[:r] ** 2 + alpha) * (U[:, :r].T @ yc))


@pytest.mark.parametrize("fmt", ["dense", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", [1e-16, 1e-10, 1e-6])
def test_wide_small_alpha_stays_in_row_space(fmt, fit_intercept, alpha, nystrom_calls):
    # p > n: the dual iteration's b = V⁻¹Zᵀa lies in Z's row space; the Nyström continuation
    # (primal) must not take over when Jacobi needs more than its trial, or the null space of
    # Z picks up errors the gradient cannot see (α‖e‖) and the fit is not the ridge solution
    rng = np.random.default_rng(8)
    n, p = 50, 100
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + 10.0
    Xf = X if fmt == "dense" else sp.csr_matrix(X)
    m = Ridge(alpha=alpha, solver="cg", tol=1e-12, fit_intercept=fit_intercept).fit(Xf, y)
    assert m.n_iter_ > _policy.NYSTROM_TRIAL_ITERATIONS   # the switch would have applied
    coef = _svd_ridge(X, y, alpha, fit_intercept)
    np.testing.assert_allclose(m.coef_, coef, rtol=0, atol=1e-9 * np.abs(coef).max())
    intercept = y.mean() - X.mean(axis=0) @ coef if fit_intercept else 0.0
    np.testing.assert_allclose(m.intercept_, intercept, rtol=0, atol=1e-9 * abs(y).max())
    assert not nystrom_calls


def test_kernel_checks_arguments():
    from fastridge import _cg_fast
    from fastridge._view import Design

    rng = np.random.default_rng(8)
    X = np.asfortranarray(rng.standard_normal((20, 4)))
    des = Design(X, np.zeros(4), np.ones(4), False)
    y, b = rng.standard_normal(20), np.empty(4)
    U = np.asfortranarray(np.eye(4)[:, :2])
    opts = dict(alpha=1.0, v=np.ones(4), coef=-0.5 * np.ones(2), scale=np.ones(4),
                jw=np.ones(4), tol=1e-8, max_iter=10)
    with pytest.raises(ValueError, match="U must be"):
        _cg_fast.ridge_cg_nystrom(des, y, np.zeros(4), b,
                                  U=np.ascontiguousarray(np.eye(4)[:, :2]), **opts)
    for bad in ({"alpha": 0.0}, {"coef": np.array([-0.5, -1.0])},
                {"scale": np.array([1.0, 0.0, 1.0, 1.0])}):
        with pytest.raises(ValueError, match="alpha > 0"):
            _cg_fast.ridge_cg_nystrom(des, y, np.zeros(4), b, U=U, **{**opts, **bad})
    assert cg_solver.CGState  # the state that carries the sketch


@pytest.mark.parametrize("fmt", ["dense", "csr"])
def test_float32(fmt, monkeypatch, nystrom_calls):
    """Working precision float32: the sketch's products and U in float32, the result within
    float32 accuracy of the float64 closed form."""
    monkeypatch.setattr(_policy, "NYSTROM_TRIAL_ITERATIONS", 0)
    rng = np.random.default_rng(9)
    X = rng.standard_normal((200, 30)) @ np.diag(np.logspace(-1, 1, 30))
    y = X @ rng.standard_normal(30) + rng.standard_normal(200)
    X32 = X.astype(np.float32)
    Xf = X32 if fmt == "dense" else sp.csr_matrix(X32)
    m = Ridge(alpha=2.0, solver="cg", tol=1e-6).fit(Xf, y.astype(np.float32))
    coef, _ = ridge_oracle(X32, y.astype(np.float32), 2.0)
    assert nystrom_calls
    np.testing.assert_allclose(m.coef_, coef, rtol=1e-3, atol=1e-4 * np.abs(coef).max())


@pytest.mark.parametrize("alpha", [1e-16, 1e-10])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_tiny_alpha_on_a_tall_full_rank_sketch(alpha, fit_intercept, monkeypatch,
                                               nystrom_calls):
    """A tall problem whose sketch holds all of A, at an α far below the columns' scales (5
    decades apart): the residual's diagonal is rounding alone and σ² = λ̂/(r + α) beyond 1/eps.
    The preconditioner stays positive definite (found by scikit-learn's regularization-limit
    test and the property test, which got a ValueError from the kernel's check), and the fit
    equals the float64 closed form (the least-squares limit, X being of full rank)."""
    monkeypatch.setattr(_policy, "NYSTROM_TRIAL_ITERATIONS", 0)
    rng = np.random.default_rng(12)
    n, p = 80, 6
    X = rng.standard_normal((n, p)) * np.logspace(-2, 3, p)
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    m = Ridge(alpha=alpha, solver="cg", tol=1e-12, max_iter=2000,
              fit_intercept=fit_intercept).fit(X, y)
    coef, intercept = ridge_oracle(X, y, alpha, fit_intercept=fit_intercept)
    assert nystrom_calls, "the Nyström kernel did not run"
    np.testing.assert_allclose(m.coef_, coef, rtol=1e-7, atol=1e-9 * np.abs(coef).max())
    np.testing.assert_allclose(m.intercept_, intercept, rtol=1e-7, atol=1e-7)


def test_unusable_sketch_keeps_jacobi(monkeypatch, nystrom_calls):
    """If the sketch's core matrix never factors (every shifted Cholesky fails), the solve
    goes on with Jacobi from the trial's iterate and still meets its tolerance — no NameError
    from an unbound factor, no Nyström iteration.  Oracle: the gradient of the centred
    objective in float64 at the result, and the closed form to the accuracy that gradient
    allows on this ill-conditioned problem."""
    from scipy import linalg

    monkeypatch.setattr(_policy, "NYSTROM_TRIAL_ITERATIONS", 3)
    tries = []

    def never(*args, **kwargs):
        tries.append(1)
        raise linalg.LinAlgError("not positive definite")

    monkeypatch.setattr(linalg, "cholesky", never)
    X, y = ill_conditioned(n=300, p=60, q=10)
    m = Ridge(alpha=1e-3, solver="cg", tol=1e-10, max_iter=100000).fit(X, y)
    coef, intercept = ridge_oracle(X.toarray(), y, 1e-3)
    assert len(tries) == 20 and not nystrom_calls
    Xc = X.toarray() - X.toarray().mean(axis=0)
    yc = y - y.mean()
    grad = Xc.T @ (yc - Xc @ m.coef_) - 1e-3 * m.coef_
    assert np.linalg.norm(grad) <= 1e-8 * np.linalg.norm(Xc.T @ yc)
    np.testing.assert_allclose(m.coef_, coef, rtol=1e-3, atol=1e-5 * np.abs(coef).max())
    np.testing.assert_allclose(m.intercept_, intercept, rtol=1e-6, atol=1e-6)
