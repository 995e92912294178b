"""Samfard: booking and coordination centre for community-paid travel (samhällsbetalda resor)."""

__version__ = "0.1.0"
