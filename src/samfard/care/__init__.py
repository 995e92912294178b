"""Care units (vårdenheter): electronic travel certificates (sjukreseintyg) issued by
certified staff, and the follow-up per unit (uppföljning per enhet)."""
