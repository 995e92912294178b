"""The driver's part of the live day: reports from the vehicle (stop events, positions),
the driver's page /forare and its API."""
