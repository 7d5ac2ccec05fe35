"""Reproducible performance measurements of the gate; run each as `python -m benchmarks.<name>`."""
