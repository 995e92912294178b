"""Rulebooks as data and the pure assessment engine.

Call `assess(request, shipped_rulebooks())` with an AssessmentRequest; read the Decision.
The fee ceiling ledger (`ledger`) and the issuer check (`issuers`) are usable on their own.
"""

from samfard.rules.decision import Citation, Decision, Effect, Outcome, Reason
from samfard.rules.engine import GivenTimes, PublicTransportTimes, assess, input_hash
from samfard.rules.facts import (
    AssessmentRequest,
    Certificate,
    Companion,
    CompanionKind,
    Issuer,
    Leg,
    Mode,
    Needs,
    Permit,
    Service,
    TravelDecision,
    TravellerFacts,
    Trip,
)
from samfard.rules.issuers import check_issuer
from samfard.rules.ledger import CeilingRule, CeilingStatus, LedgerState, charge, replay, status
from samfard.rules.loader import RulebookSet, load_rulebooks, shipped_rulebooks

__all__ = [
    "AssessmentRequest",
    "CeilingRule",
    "CeilingStatus",
    "Certificate",
    "Citation",
    "Companion",
    "CompanionKind",
    "Decision",
    "Effect",
    "GivenTimes",
    "Issuer",
    "LedgerState",
    "Leg",
    "Mode",
    "Needs",
    "Outcome",
    "Permit",
    "PublicTransportTimes",
    "Reason",
    "RulebookSet",
    "Service",
    "TravelDecision",
    "TravellerFacts",
    "Trip",
    "assess",
    "charge",
    "check_issuer",
    "input_hash",
    "load_rulebooks",
    "replay",
    "shipped_rulebooks",
    "status",
]
