"""Synthetic demo data that looks like the real thing, reproducible from a seed."""
