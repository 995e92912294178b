"""Quality and patient safety: deviations (avvikelser), their handling and follow-up."""
