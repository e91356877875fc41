"""`fastridge.config_context`: the memory budgets the one policy reads, restored after the
block, and seen by the worker threads a fit starts (k-fold's folds)."""
import contextlib
import io

import numpy as np
import pytest

from fastridge import Ridge, RidgeCV, config_context, get_config, set_config


def test_defaults_and_restore():
    before = get_config()
    assert before["working_memory"] == 2048.0 and before["block_memory"] == 4.0
    with config_context(working_memory=1.5, num_threads=1):
        inside = get_config()
        assert inside["working_memory"] == 1.5 and inside["num_threads"] == 1
        with config_context(block_memory=8):
            assert get_config()["block_memory"] == 8.0
            assert get_config()["working_memory"] == 1.5     # the outer block's still holds
        assert get_config()["block_memory"] == 4.0
        set_config(loo_memory=2)                              # for the rest of this block
        assert get_config()["loo_memory"] == 2.0
    assert get_config() == before


@pytest.mark.parametrize("settings,error,word", [
    (dict(working_memory=0), ValueError, "working_memory"),
    (dict(block_memory=-1.0), ValueError, "block_memory"),
    (dict(loo_memory=float("nan")), ValueError, "loo_memory"),
    (dict(working_memory="2GB"), ValueError, "working_memory"),
    (dict(num_threads=0), ValueError, "num_threads"),
    (dict(num_threads=True), ValueError, "num_threads"),
    (dict(memory=1), TypeError, "memory"),
])
def test_bad_settings_are_refused_by_name(settings, error, word):
    before = get_config()
    with pytest.raises(error, match=word):
        with config_context(**settings):
            pass
    assert get_config() == before


@pytest.mark.parametrize("p", [20, 60])
def test_the_auto_rule_follows_the_working_memory(p):
    """The documented rule: dense X (n ≥ p) goes to "cholesky" when the p × p float64 Gram
    fits in the working memory, else to "cg" — with the budget set either side of p²·8 bytes,
    and the same coefficients either way (to the iterative solver's tolerance)."""
    rng = np.random.default_rng(p)
    n = 2000                      # beyond the lean path of small fits (always "cholesky")
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    gram_mib = p * p * 8 / 2**20
    with config_context(working_memory=gram_mib * 1.01):
        direct = Ridge(alpha=1.0).fit(X, y)
    with config_context(working_memory=gram_mib * 0.99):
        iterative = Ridge(alpha=1.0, tol=1e-12).fit(X, y)
    assert direct.solver_ == "cholesky" and iterative.solver_ == "cg"
    np.testing.assert_allclose(iterative.coef_, direct.coef_, rtol=1e-9, atol=1e-12)


def _fold_solvers(**settings):
    """The solver each fold's path used, as RidgeCV's progress lines (verbose=2) report.  A
    metric callable: the built-in criteria score the folds from their spectral decomposition
    without a path (`spectral_fold_errors`), which reports no solver line."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 8))
    y = X @ rng.standard_normal(8) + rng.standard_normal(120)
    out = io.StringIO()
    with contextlib.redirect_stderr(out), config_context(**settings):
        RidgeCV(alphas=np.geomspace(1e-2, 1e2, 5), cv=4, verbose=2,
                scoring=lambda yt, yp: -float(np.mean((yt - yp) ** 2))).fit(X, y)
    lines = [ln for ln in out.getvalue().splitlines() if "fold" in ln and "solver" in ln
             and "alphas from" in ln]
    return {ln.split("solver '")[1].split("'")[0] for ln in lines}, len(lines)


def test_fold_threads_see_the_callers_settings():
    """With a working memory too small for the 8 x 8 Gram, the folds (on worker threads then:
    they run the iterative kernels) cannot take the spectral path; with the default budget
    they do.  Each fold reads the budget in its own thread, so this holds only if the
    caller's settings travel with the tasks."""
    default, folds = _fold_solvers()
    assert default == {"eigen"} and folds == 4
    small, folds = _fold_solvers(working_memory=1e-5)
    assert folds == 4 and "eigen" not in small and small <= {"cd", "cg"}
