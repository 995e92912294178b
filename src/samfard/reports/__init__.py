"""Follow-up: key figures, the monthly report and its renderers (read-only, pure)."""
