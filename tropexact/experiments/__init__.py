"""Experiments: searches, exhaustive sweeps, batches of checks, and the best-known table.

Layer 8 of tropexact (see ``docs/architecture.md``).

:mod:`~tropexact.experiments.parallel`    one process pool, local workers or Dask, ordered results
:mod:`~tropexact.experiments.search`      random restarts and local search; certified counterexamples
:mod:`~tropexact.experiments.sweep`       exhaustive maxima over finite families
:mod:`~tropexact.experiments.batch`       the theorem checks on seeded random networks
:mod:`~tropexact.experiments.best_known`  the regression table ``data/regions/best_known.json``
"""
