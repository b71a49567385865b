"""Helpers the tests import (pytest's importlib mode makes ``tests`` a namespace package, so ``tests.helpers`` imports).

Plain functions and classes live here rather than in conftest files handed out
as fixtures: ``reports`` (the sample reports), ``db`` (what a database holds:
row counts and the before/after snapshot of a refused write), ``backend`` (the
in-memory window backend), ``qt`` (typing into widgets, answering modal
dialogs), ``xvfb`` (a throwaway X server, shared with the benchmarks) and
``types`` (the aliases of the factory fixtures that remain).
"""
