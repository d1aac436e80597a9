"""Generators of hostile and broken input files (rerun: python -m tests.hostile OUTDIR)."""
