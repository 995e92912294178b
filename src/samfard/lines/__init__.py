"""Booked bus lines (anropsstyrd linjetrafik): the timetable, its reads and the GTFS-Flex export."""
