"""Settlement: carrier contracts, run cost, fair allocation between trips and principals.

`contracts`, `pricing` and `allocation` are the pure core: plain frozen dataclasses in,
plain frozen dataclasses out, no database and no clock. docs/costs.md gives each formula.
"""
