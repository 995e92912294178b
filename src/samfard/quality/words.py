"""Deviation words in Swedish, for the pages and the monthly report."""

from __future__ import annotations

KIND_SV = {
    "late": "Försenad",
    "early": "För tidig",
    "vehicle_no_show": "Fordonet kom inte",
    "wrong_vehicle": "Fel fordon eller hjälpmedel",
    "conduct": "Bemötande eller körsätt",
    "injury": "Skada eller risk för skada",
    "booking_error": "Fel i bokningen",
    "information": "Information",
}
SEVERITY_SV = {
    "minor": "Ingen skada",
    "moderate": "Risk för skada",
    "serious": "Skada",
    "critical": "Allvarlig skada",
}
STATUS_SV = {
    "received": "Mottagen",
    "investigating": "Utreds",
    "decided": "Beslutad",
    "closed": "Avslutad",
}
OUTCOME_SV = {"upheld": "Befogad (utförarens ansvar)", "not_upheld": "Ej befogad"}
ACTION_SV = {
    "report": "Rapporterad",
    "investigate": "Utredning startad",
    "answer": "Utförarens svar",
    "decide": "Beslut",
    "close": "Avslutad",
    "comment": "Kommentar",
}
ROLE_REPORTER_SV = {
    "traveller": "resenär",
    "care_issuer": "vårdpersonal",
    "driver": "förare",
    "carrier_dispatcher": "utförare",
    "operator": "beställningscentral",
    "assessor": "handläggare",
    "principal_admin": "huvudman",
    "system_admin": "systemadministratör",
}
