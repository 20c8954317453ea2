"""One deterministic, database-free Hypothesis setting for the fuzz tests: the same examples on every run."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# derandomize: CI sees the same examples every time; database=None: nothing is read from or written to
# .hypothesis/, so a local failure cannot make another machine's run differ. No deadline: the machines
# that run the suite are shared and slow, and speed is measured by benchmarks/, not here.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
