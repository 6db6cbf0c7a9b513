"""The load test's pure checks (bench/capacity_checks.py)."""
