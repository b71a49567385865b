"""Benchmarks: speed and memory figures, printed as medians of several runs (never timed unit tests)."""
