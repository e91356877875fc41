"""asv benchmark suite for fastridge (see ../asv.conf.json).

Modules: ``bench_solvers`` (fit time, peak memory and iteration counts per solver, container,
dtype and shape) and ``bench_import`` (cost of ``import fastridge`` in a fresh interpreter).
Every benchmark uses the public API only, so the suite runs against any installed version.
"""
