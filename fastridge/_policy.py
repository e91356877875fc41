"""The one policy: which solver ``"auto"`` takes, and which form (Gram, kernel, rows) each
route works on.  Every rule here reads the memory budgets of `fastridge._config`; no other
module decides these things or tests a memory size itself (they ask
:func:`fastridge._config.fits`).

The rules, in the words of the API (README, ``Ridge`` docstring):

* one fit (:func:`fit_solver`): ``positive=True`` or box limits → ``"cd"``; some α = 0 → ``"svd"``
  when a dense float64 copy of X fits, else ``"cg"``; dense X → ``"cholesky"`` on the Gram (n ≥ p)
  or the kernel (p > n, positive penalty factors) when that matrix fits, else ``"cg"``; sparse X →
  ``"cholesky"`` for p ≤ :data:`SPARSE_GRAM_MAX_FEATURES`, else ``"cg"``;
* a path (:func:`path_solver`): the spectral decomposition (``"eigen"``) when it applies and its
  matrix fits (sparse X: only when min(n, p) is small), else the one-fit rule with warm-started
  CD on tall data;
* a "cg" path as one multi-shift solve (:func:`multishift_cg`: equal penalty factors and
  column scales, ``standardize=True``) or warm-started from α to α;
* the form of CD and CG (:func:`use_gram_cd`, :func:`cg_on_gram`), the one-pass Gram
  (:func:`wants_gram`), the folds' threads (:func:`fold_workers`, :func:`fold_kernel_threads`),
  the Dask route (:func:`statistics_route`) and the statistics a fit keeps
  (:func:`keep_fit_statistics`).
"""
import numpy as np

from fastridge import _config

# sparse X: the direct solvers' Gram XᵀWX is formed only for at most this many features
SPARSE_GRAM_MAX_FEATURES = 1000
# the lean path of `Ridge.fit`: dense float64 X with at most this many entries
SMALL_MAX_ENTRIES = 20_000
# fit keeps the sufficient statistics of its rows (for a partial_fit that follows) when it
# formed the centred Gram anyway and p is at most this (a p × p float64 matrix, 2 MiB, kept in
# the fitted estimator and its pickle) ...
KEEP_STATS_MAX_FEATURES = 512
# ... or, on another route, when forming them costs at most this many flops (n·p²)
KEEP_STATS_MAX_FLOPS = 10**7


def fit_solver(n, p, *, sparse, alphas, positive, penalty_factor=None, limits=False):
    """The "auto" rule of one fit (see the module docstring)."""
    if positive or limits:
        return "cd"
    if np.any(np.asarray(alphas) == 0.0):
        return "svd" if _config.fits(n, p) else "cg"
    if not sparse:
        # the kernel form (p > n) needs positive penalty factors; otherwise the Gram is p × p
        kernel_ok = penalty_factor is None or bool(np.all(np.asarray(penalty_factor) > 0))
        m = min(n, p) if kernel_ok else p
        return "cholesky" if _config.fits(m, m) else "cg"
    return "cholesky" if p <= SPARSE_GRAM_MAX_FEATURES else "cg"


# a direct fit with at least this many distinct α among its targets (RidgeCV's refit with one α
# per target) decomposes the Gram/kernel once instead of factoring it once per α: an
# eigendecomposition costs about as much as this many Cholesky factorizations
EIGEN_MIN_ALPHAS = 10


def eigen_for_alphas(pr, v, alphas):
    """Whether a direct fit at `alphas` (k,) takes one spectral decomposition for all its
    distinct α rather than one factorization each: many distinct positive α, and the
    decomposition applies (`spectral_unavailable`)."""
    alphas = np.asarray(alphas)
    if pr.X is None or not np.all(alphas > 0) \
            or np.unique(alphas).size < EIGEN_MIN_ALPHAS:
        return False
    return spectral_unavailable(pr, v) is None


def gram_cd(n, p, dense, f_contiguous):
    """CD on the p × p Gram (rather than on the residuals over X): when it fits and n ≫ p, or a
    column-major copy of X would cost more than the Gram."""
    if not _config.fits(p, p):
        return False
    if n >= 2 * p:
        return True
    # a column-major copy of X (n·p) for the residual form costs less than the Gram (p²)
    # only when n < p
    return dense and not f_contiguous and n >= p


def use_gram_cd(pr, offset_columns):
    """CD on the Gram when it is cheap to form and reuse (n ≫ p), or X is not column-major, or
    X has a column whose mean exceeds its spread (`offset_columns` of them: the implicitly
    centred sweep would cancel digits there; the Gram centres such columns exactly).  A problem
    given by its sufficient statistics (no X) has only the Gram."""
    if pr.X is None:
        return True
    if offset_columns and _config.fits(pr.p, pr.p):
        return True
    return gram_cd(pr.n, pr.p, pr.fmt == "dense", pr.fmt == "dense" and pr.X.flags.f_contiguous)


def cg_on_gram(pr, offset_columns, asked=False):
    """CG on the Gram (O(p²) iterations) rather than on X: when `asked` (a tall dense path), for
    a problem given by statistics (no X), and when some column's mean exceeds its spread and
    the Gram fits (the kernels on X centre implicitly and would lose eps·|x̄|/σ there)."""
    return asked or pr.X is None or (bool(offset_columns) and _config.fits(pr.p, pr.p))


# CG on X starts with the Jacobi preconditioner, capped at this many iterations; a solve that has
# not converged by then is ill-conditioned (Jacobi's count grows as √κ of the Jacobi-scaled
# system) and continues from its iterate with the randomized Nyström preconditioner, whose count
# depends on the effective dimension at α instead.  The cap is about the cost of the first
# sketch (START_RANK = 16 products, taken as one BLAS-3 block product) times two: a well-
# conditioned solve never pays for a sketch, an ill-conditioned one wastes at most this many.
NYSTROM_TRIAL_ITERATIONS = 32


def nystrom_trial(pr, v, alpha, *, offset_columns, dual=False):
    """The Jacobi iterations CG on X tries before switching to the Nyström preconditioner, or
    None when the switch does not apply: the dual (kernel) iteration (`dual`, p > n: its
    iterates b = V⁻¹ZᵀW^{1/2}a lie in Z's row space by construction, which the primal
    continuation would give up — there Z's null space has eigenvalue α, so that at a small α
    errors in it are invisible to the gradient and the sketch, of rank up to p, cannot resolve
    them: the fit would no longer tend to the minimum-norm solution as α → 0), α = 0 (the
    least-squares limit, whose iterates must stay in Z's row space), a zero penalty factor (the
    preconditioner works in V^{-1/2} coordinates), or columns whose mean exceeds their spread
    (`offset_columns`: the sketch's products would centre with the cancellation the Gram route
    avoids)."""
    if dual or alpha <= 0 or offset_columns or pr.X is None \
            or not bool(np.all(np.asarray(v) > 0)):
        return None
    return NYSTROM_TRIAL_ITERATIONS


def wants_gram(X, solver, v, alphas, *, sparse):
    """Whether `solver` will work on the p × p Gram of dense X (then the column statistics are
    taken from the same pass over X that forms it)."""
    if sparse:
        return False
    n, p = X.shape
    if solver == "cholesky":
        kernel = p > n and bool(np.all(v > 0)) and bool(np.all(np.asarray(alphas) > 0))
        return not kernel and _config.fits(p, p)
    if solver == "cd":
        return gram_cd(n, p, True, X.flags.f_contiguous)
    if solver == "eigen":
        return n >= p
    return False


def spectral_fits(pr):
    """Why the spectral decomposition's min(n, p)² matrix is out of budget, or None."""
    m = min(pr.n, pr.p)
    return None if _config.fits(m, m) else \
        f"the {m} x {m} Gram/kernel matrix would not fit in memory"


def spectral_unavailable(pr, v, unpenalized=False):
    """Why a spectral decomposition (leave-one-out, the "eigen" path, EM) does not apply here,
    or None: the numerical conditions of `fastridge._spectral.unavailable` and the budget.
    `unpenalized`: the caller handles zero penalty factors (`fastridge._spectral`)."""
    from fastridge import _spectral

    return _spectral.unavailable(pr, v, unpenalized) or spectral_fits(pr)


def path_solver(pr, v, solver, *, limits=False):
    """The solver of a path over α (see the module docstring); box `limits`: CD, the one
    solver that honours them."""
    if pr.op is not None:  # rows elsewhere, only products with ZᵀWZ: warm-started CG (the
        return "cg"        # Dask route asked for "eigen" or "auto" when the Gram would not fit)
    if solver != "auto":
        return solver
    if limits:
        return "cd"
    if spectral_unavailable(pr, v) is None and (
            pr.fmt in ("dense", "stats") or min(pr.n, pr.p) <= SPARSE_GRAM_MAX_FEATURES):
        # sparse X: densifying a larger min(n, p)² Gram/kernel and decomposing it costs far
        # more than warm-started CG paths
        return "eigen"
    if pr.X is None:  # sufficient statistics only: the p × p Gram is all there is
        return "cholesky"
    auto = fit_solver(pr.n, pr.p, sparse=pr.fmt != "dense", alphas=np.ones(1), positive=False)
    if auto == "cholesky" and pr.p > pr.n and np.any(v == 0):
        auto = "cg"  # the kernel form needs positive penalty factors; a p × p Gram may not fit
    return "cd" if auto == "cholesky" and pr.n >= 2 * pr.p else auto


def fold_scores_spectral(pr, v, solver):
    """Whether a k-fold fold scores every α from its training rows' spectral decomposition
    (`selection.spectral_fold_errors`) instead of a path: where the path would be "eigen", and
    with solver="auto" where only zero penalty factors (a generalized ridge's null space)
    keep it from that — their decomposition is the p × p Gram's, taken when p is at most
    max(n, SPARSE_GRAM_MAX_FEATURES) for dense rows, SPARSE_GRAM_MAX_FEATURES for sparse."""
    if path_solver(pr, v, solver) == "eigen":
        return True
    if solver != "auto" or pr.op is not None or pr.X is None or not np.any(v == 0):
        return False
    cap = max(pr.n, SPARSE_GRAM_MAX_FEATURES) if pr.fmt == "dense" else \
        SPARSE_GRAM_MAX_FEATURES
    return pr.p <= cap and spectral_unavailable(pr, v, unpenalized=True) is None


# multi-shift CG takes the columns' diagonal hⱼ = (ZᵀWZ)ⱼⱼ as equal when they agree to this
# relative bound (then the Jacobi preconditioner is a scalar, which CG's iterates ignore)
MULTISHIFT_SCALE_RTOL = 1e-6


def multishift_cg(pr, v, alphas, *, offset_columns, limits=False):
    """Whether a "cg" path runs as one multi-shift CG solve per target
    (`fastridge._solvers.cg.multishift_path`: every α from one Krylov space, about the
    iterations of one cold solve at the smallest α) rather than warm-started from α to α.

    The shift structure needs (ZᵀWZ + αV) to be one matrix plus α times a multiple of I in the
    coordinates CG works in: equal positive penalty factors on the columns that move, and a
    Jacobi preconditioner diag(hⱼ + αvⱼ) that is a scalar, i.e. equal hⱼ — the columns of
    equal weighted norm that ``standardize=True`` makes (hⱼ = Σ wᵢ).  Otherwise (penalty
    factors that differ, raw columns of different scales, box limits, a problem on the Gram or
    given as an operator, columns whose mean exceeds their spread, fewer than two α) the
    warm-started path stays."""
    if pr.op is not None or pr.X is None or limits or np.asarray(alphas).size < 2:
        return False
    if offset_columns or cg_on_gram(pr, offset_columns, asked=path_gram_cg(pr)):
        return False
    live = pr.d != 0
    if not live.any():
        return False
    vl, hl = np.asarray(v, dtype=np.float64)[live], pr.h[live]
    if vl.min() <= 0 or vl.max() - vl.min() > 1e-12 * vl.max():
        return False
    return bool(hl.max() - hl.min() <= MULTISHIFT_SCALE_RTOL * hl.max())


def path_gram_cg(pr):
    """A tall dense path with solver="cg" runs CG on the Gram (O(p²) per iteration)."""
    return pr.fmt == "dense" and gram_cd(pr.n, pr.p, True, True)


def path_prepare_solver(n, p, *, sparse, solver, v):
    """The solver a path will most likely use, guessed before the column statistics exist, so
    that the pass computing them also forms the Gram when that solver works on it."""
    if solver == "cg" and not sparse and gram_cd(n, p, True, True):
        return "cd"  # the tall dense CG path works on the Gram too: take it from the same pass
    if solver == "auto":
        return "eigen" if np.all(v > 0) and _config.fits(min(n, p), min(n, p)) else "cg"
    return solver


def fold_workers(n, p, *, sparse, solver, v, n_folds):
    """Threads for the folds of k-fold cross-validation: one per fold (up to the CPUs) when
    they run the single-threaded CD/CG kernels (which release the GIL); one when the folds are
    direct spectral paths, which are BLAS-bound (BLAS already uses every core)."""
    small = min(n, p) <= SPARSE_GRAM_MAX_FEATURES or not sparse
    direct = solver in ("cholesky", "svd") or (
        solver == "auto" and bool(np.all(np.asarray(v) > 0)) and small
        and _config.fits(min(n, p), min(n, p)))
    return 1 if direct else min(n_folds, _config.cpu_count())


def fold_kernel_threads(workers):
    """Threads of the kernels' parallel loops inside each of `workers` folds running at once:
    the kernels' threads (`_config.num_threads`) shared among the folds, at least one each.
    Each fold taking them all would put workers × num_threads threads on the cores, and the
    parallel loops' barriers then wait on threads that are not running (a 5-fold sparse CG
    cross-validation on 2 cores took 1.5× longer than its folds one after the other)."""
    return max(1, _config.num_threads() // max(1, int(workers)))


def statistics_route(p, solver):
    """Data that live as row blocks (Dask): fit from the p × p sufficient statistics (True)
    unless the Gram would not fit or CG was asked for (False: distributed CG on X)."""
    if solver == "cg":
        return False
    if not _config.fits(p, p):
        if solver != "auto":  # cholesky, cd, svd
            raise ValueError(f"solver={solver!r} on a Dask array works on the {p} x {p} Gram "
                             f"matrix, which would not fit in memory; use solver='cg'.")
        return False
    return True


def small_fit(n, p):
    """Whether a fit of dense float64 X (n × p) takes the lean path (Cholesky of the p × p
    Gram, within the working memory as every Gram "auto" forms)."""
    return 1 <= p <= n and n * p <= SMALL_MAX_ENTRIES and _config.fits(p, p)


def keep_fit_statistics(n, p, *, formed_gram):
    """Whether `fit` keeps its rows' statistics for a partial_fit that follows: "formed" when it
    formed the centred Gram in its pass anyway (then nothing extra is computed), "compute"
    when forming them is cheap, else None."""
    if formed_gram and p <= KEEP_STATS_MAX_FEATURES:
        return "formed"
    if n * p * p <= KEEP_STATS_MAX_FLOPS:
        return "compute"
    return None


def keep_statistics_rule():
    """The rule of :func:`keep_fit_statistics` in words (for partial_fit's error message)."""
    return (f"when it forms the centred Gram in its pass over X, as the default solver does on "
            f"dense X with n >= p, an intercept and p <= {KEEP_STATS_MAX_FEATURES}, or when "
            f"they cost at most n*p^2 = {KEEP_STATS_MAX_FLOPS:.0e} flops")


def form_solver(form, *, positive, limits=False):
    """"auto" for a problem already built, by its form: on rows the caller has chosen with
    :func:`fit_solver` before building it; from statistics, Cholesky on the Gram (CD for
    `positive` or box `limits`); with only an operator (rows elsewhere, the Gram too large),
    CG."""
    if form == "operator":
        if positive or limits:
            what = "positive=True" if positive else "lower_limits/upper_limits"
            raise ValueError(f"{what} needs coordinate descent on the p x p Gram, which "
                             "would not fit in memory for this Dask array.")
        return "cg"
    return "cd" if positive or limits else "cholesky"
