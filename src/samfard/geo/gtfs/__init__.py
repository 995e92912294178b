"""Public transport from GTFS feeds: reading and checking a feed, the demo feed, and the
RAPTOR journey planner the sjukresa assessment asks whether the bus will do."""
