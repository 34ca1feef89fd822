"""Support shared by tests/ and benchmarks/: real servers, load, Chromium, the built site."""
