"""Bookings, their legs, recurring series and the lifecycle of a trip."""
