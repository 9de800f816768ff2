"""Benchmarks, run by hand: `.venv/bin/python -m bench.<name>`. Each prints its figures and
its ratio against a baseline measured in the same run."""
