"""The engine: what every estimator computes once its backend has made a `Problem` —
:mod:`~fastridge._engine.fit` (one fit), :mod:`~fastridge._engine.path` (the grid and the
warm-started path) and :mod:`~fastridge._engine.selection` (folds, leave-one-out, choosing α;
built on the path).  It imports solvers and core modules, never a backend or an estimator."""
