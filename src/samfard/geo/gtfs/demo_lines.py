"""The lines of the demo feed: synthetic, drawn on the gazetteer's places (places.csv).

Numbers and names are the project's own, loosely after the lines the regions' traffic
runs (Länstrafiken i Jämtlands län, Din Tur in Västernorrland, Norrtåg on the railways):
plausible for testing a journey planner, never a timetable to travel by.

A regional line lists place keys; a town line lists place keys and points (lat, lon)
through which the bus runs with a stop about every STOP_SPACING_M. `weekday`,
`saturday`, `sunday` are (first departure, last departure, minutes between) in both
directions; None: no service that day.
"""

from __future__ import annotations

from dataclasses import dataclass

Waypoint = str | tuple[float, float]
Service = tuple[str, str, int] | None


@dataclass(frozen=True)
class Line:
    short_name: str
    long_name: str
    route_type: int  # GTFS: 3 bus, 2 rail
    agency: str
    waypoints: tuple[Waypoint, ...]
    weekday: Service
    saturday: Service
    sunday: Service
    town: bool = False  # stops along the way, not only in the places named


JAMTLAND = "lanstrafiken-z"
VASTERNORRLAND = "dintur"
NORRTAG = "norrtag"

AGENCIES = {
    JAMTLAND: "Länstrafiken i Jämtlands län (syntetisk)",
    VASTERNORRLAND: "Din Tur (syntetisk)",
    NORRTAG: "Norrtåg (syntetisk)",
}

# fmt: off
LINES: tuple[Line, ...] = (
    # Östersund town buses: four lines crossing the centre, past the hospital and the
    # health centres, every 15-20 minutes on weekdays.
    Line("1", "Frösön – Centrum – Torvalla", 3, JAMTLAND,
         ("halsocentral-froson", "ostersund", "ostersunds-sjukhus", "halsocentral-odenskog",
         "halsocentral-torvalla"),
         ("05:45", "23:00", 15), ("07:00", "23:00", 30), ("08:00", "22:00", 30), town=True),
    Line("2", "Lugnvik – Centrum – Odenskog", 3, JAMTLAND,
         ("halsocentral-lugnvik", "halsocentral-z-grand", "ostersund", (63.1647, 14.6661)),
         ("05:50", "23:00", 15), ("07:00", "23:00", 30), ("08:00", "22:00", 30), town=True),
    Line("3", "Odensala – Centrum – Söder", 3, JAMTLAND,
         ((63.1967, 14.6721), "ostersund", "ostersunds-sjukhus", (63.1567, 14.6261)),
         ("06:00", "22:30", 20), ("07:30", "22:30", 30), ("08:30", "21:30", 60), town=True),
    Line("4", "Frösö Park – Centrum – Körfältet", 3, JAMTLAND,
         ((63.1947, 14.5961), "ostersund", (63.1587, 14.6741)),
         ("06:05", "22:30", 20), ("07:30", "22:30", 30), ("08:30", "21:30", 60), town=True),
    # Sundsvall town buses.
    Line("1", "Haga – Centrum – Sundsvalls sjukhus – Sidsjön", 3, VASTERNORRLAND,
         ((62.4108, 17.3169), "sundsvall", "sundsvalls-sjukhus", (62.3728, 17.2669)),
         ("05:45", "23:00", 15), ("07:00", "23:00", 30), ("08:00", "22:00", 30), town=True),
    Line("2", "Nacksta – Centrum – Skönsberg", 3, VASTERNORRLAND,
         ((62.4028, 17.2669), "sundsvalls-sjukhus", "sundsvall", (62.4088, 17.3449)),
         ("05:50", "23:00", 15), ("07:00", "23:00", 30), ("08:00", "22:00", 30), town=True),
    Line("3", "Bydalen – Centrum – Granloholm", 3, VASTERNORRLAND,
         ((62.3708, 17.3369), "sundsvall", (62.4108, 17.2949)),
         ("06:00", "22:30", 20), ("07:30", "22:30", 30), ("08:30", "21:30", 60), town=True),
    Line("4", "Södermalm – Centrum – Norrmalm", 3, VASTERNORRLAND,
         ((62.3708, 17.2919), "sundsvall", "sundsvalls-sjukhus", (62.3968, 17.3469)),
         ("06:05", "22:30", 20), ("07:30", "22:30", 30), ("08:30", "21:30", 60), town=True),
    # Jämtland Härjedalen regional buses.
    Line("45", "Östersund – Brunflo – Svenstavik – Sveg", 3, JAMTLAND,
         ("ostersunds-sjukhus", "ostersund", "brunflo", "hackas", "svenstavik", "sveg"),
         ("06:10", "20:10", 120), ("08:10", "18:10", 240), ("10:10", "18:10", 240)),
    Line("155", "Östersund – Krokom – Järpen – Åre – Duved", 3, JAMTLAND,
         ("ostersunds-sjukhus", "ostersund", "krokom", "nalden", "morsil", "jarpen", "are",
         "duved"),
         ("05:50", "21:50", 60), ("07:50", "19:50", 120), ("08:50", "19:50", 120)),
    Line("157", "Åre – Storlien", 3, JAMTLAND,
         ("are", "duved", "storlien"),
         ("07:15", "19:15", 180), ("09:15", "17:15", 240), ("09:15", "17:15", 240)),
    Line("63", "Östersund – Lit – Hammerdal – Strömsund", 3, JAMTLAND,
         ("ostersunds-sjukhus", "ostersund", "lit", "hammerdal", "stromsund"),
         ("06:00", "20:00", 90), ("08:00", "18:00", 240), ("10:00", "18:00", 240)),
    Line("70", "Strömsund – Hoting", 3, JAMTLAND,
         ("stromsund", "hoting"),
         ("07:00", "17:00", 240), None, None),
    Line("77", "Strömsund – Gäddede", 3, JAMTLAND,
         ("stromsund", "gaddede"),
         ("07:30", "16:30", 180), ("10:30", "10:30", 60), None),
    Line("164", "Östersund – Myrviken – Hede – Funäsdalen", 3, JAMTLAND,
         ("ostersund", "myrviken", "vemdalen", "hede", "funasdalen"),
         ("06:30", "18:30", 240), ("09:30", "15:30", 360), ("09:30", "15:30", 360)),
    Line("165", "Sveg – Lillhärdal", 3, JAMTLAND,
         ("sveg", "lillhardal"),
         ("07:00", "17:00", 300), None, None),
    Line("158", "Östersund – Ås – Krokom – Föllinge", 3, JAMTLAND,
         ("ostersund", "as", "krokom", "follinge"),
         ("06:20", "19:20", 180), ("09:20", "15:20", 360), None),
    Line("154", "Östersund – Stugun – Hammarstrand – Bispgården", 3, JAMTLAND,
         ("ostersunds-sjukhus", "ostersund", "stugun", "hammarstrand", "bispgarden"),
         ("06:40", "18:40", 180), ("09:40", "15:40", 360), None),
    Line("50", "Östersund – Gällö – Bräcke – Kälarne", 3, JAMTLAND,
         ("ostersund", "brunflo", "gallo", "bracke", "kalarne"),
         ("06:25", "19:25", 150), ("09:25", "15:25", 360), ("12:25", "12:25", 60)),
    Line("10", "Östersund – Frösön", 3, JAMTLAND,
         ("ostersund", "froson"),
         ("06:00", "22:00", 30), ("07:00", "22:00", 60), ("08:00", "21:00", 60)),
    # Västernorrland regional buses.
    Line("120", "Sundsvall – Timrå – Söråker – Härnösand", 3, VASTERNORRLAND,
         ("sundsvalls-sjukhus", "sundsvall", "timra", "soraker", "harnosand"),
         ("05:40", "22:40", 30), ("07:40", "21:40", 60), ("08:40", "21:40", 60)),
    Line("100", "Sundsvall – Kvissleby – Njurundabommen", 3, VASTERNORRLAND,
         ("sundsvalls-sjukhus", "sundsvall", "kvissleby", "njurundabommen"),
         ("05:30", "22:30", 30), ("07:30", "21:30", 60), ("08:30", "21:30", 60)),
    Line("40", "Sundsvall – Matfors – Stöde – Fränsta – Ånge", 3, VASTERNORRLAND,
         ("sundsvalls-sjukhus", "sundsvall", "matfors", "stode", "torpshammar", "fransta",
         "ljungaverk", "ange"),
         ("06:00", "20:00", 120), ("08:00", "18:00", 240), ("10:00", "18:00", 240)),
    Line("41", "Sundsvall – Matfors", 3, VASTERNORRLAND,
         ("sundsvall", "matfors"),
         ("06:30", "19:30", 60), ("09:30", "17:30", 120), None),
    Line("60", "Sundsvall – Indal", 3, VASTERNORRLAND,
         ("sundsvall", "timra", "indal"),
         ("06:15", "18:15", 180), ("10:15", "14:15", 240), None),
    Line("10", "Härnösand – Kramfors – Bollstabruk – Sollefteå", 3, VASTERNORRLAND,
         ("harnosand", "kramfors", "bollstabruk", "solleftea", "solleftea-sjukhus"),
         ("06:00", "21:00", 60), ("08:00", "18:00", 120), ("09:00", "18:00", 180)),
    Line("90", "Kramfors – Ullånger – Docksta – Örnsköldsvik", 3, VASTERNORRLAND,
         ("kramfors", "ullanger", "docksta", "ornskoldsvik", "ornskoldsviks-sjukhus"),
         ("06:10", "20:10", 120), ("09:10", "17:10", 240), ("10:10", "17:10", 240)),
    Line("31", "Sollefteå – Näsåker – Junsele", 3, VASTERNORRLAND,
         ("solleftea-sjukhus", "solleftea", "nasaker", "junsele"),
         ("06:30", "18:30", 240), ("10:30", "10:30", 60), None),
    Line("32", "Sollefteå – Långsele – Ramsele", 3, VASTERNORRLAND,
         ("solleftea-sjukhus", "solleftea", "langsele", "ramsele"),
         ("07:00", "17:00", 300), None, None),
    Line("20", "Örnsköldsvik – Husum", 3, VASTERNORRLAND,
         ("ornskoldsviks-sjukhus", "ornskoldsvik", "husum"),
         ("05:50", "21:50", 60), ("07:50", "19:50", 120), ("08:50", "19:50", 120)),
    Line("21", "Örnsköldsvik – Köpmanholmen – Bjästa", 3, VASTERNORRLAND,
         ("ornskoldsviks-sjukhus", "ornskoldsvik", "kopmanholmen", "bjasta"),
         ("06:05", "21:05", 60), ("08:05", "18:05", 120), ("09:05", "18:05", 180)),
    Line("22", "Örnsköldsvik – Bredbyn", 3, VASTERNORRLAND,
         ("ornskoldsviks-sjukhus", "ornskoldsvik", "bredbyn"),
         ("06:20", "18:20", 120), ("09:20", "15:20", 360), None),
    # Norrtåg on Mittbanan and Botniabanan.
    Line("Mittbanan", "Storlien – Östersund – Sundsvall", 2, NORRTAG,
         ("storlien", "duved", "are", "jarpen", "morsil", "krokom", "ostersund", "brunflo",
         "gallo", "bracke", "ange", "fransta", "torpshammar", "stode", "matfors", "sundsvall"),
         ("05:30", "19:30", 120), ("07:30", "17:30", 240), ("09:30", "17:30", 240)),
    Line("Botniabanan", "Sundsvall – Härnösand – Kramfors – Örnsköldsvik", 2, NORRTAG,
         ("sundsvall", "timra", "harnosand", "kramfors", "ornskoldsvik"),
         ("05:50", "20:50", 120), ("07:50", "17:50", 240), ("09:50", "19:50", 240)),
)
# fmt: on
