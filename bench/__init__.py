"""Throughput and latency benchmarks of Vonk pages against a bare Litestar + Jinja2 page."""
