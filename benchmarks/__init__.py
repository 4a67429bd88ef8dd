"""Benchmarks: run with `make bench` (see README). Not part of the test suite."""
