"""Notifications: an outbox of messages to travellers and staff, delivered by a sender."""
