"""Users, roles scoped to principals, carriers and care units; login; the audit trail."""
