"""Principals (huvudmän): the regions, municipalities and transport authorities who pay."""
