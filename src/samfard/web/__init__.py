"""Operator pages: server-rendered HTML in Swedish, on top of the same services as the API."""
