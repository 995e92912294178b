"""The web course (kurs) in the sjukresa rules and the certification of care staff who
issue travel certificates (sjukreseintyg)."""
