"""Places and travel: the gazetteer, distances, travel-time providers and their cache."""
