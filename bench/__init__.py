"""Benchmarks for `make bench`: never imported by the product (see bench/README.md)."""
