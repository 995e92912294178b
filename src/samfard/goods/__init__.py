"""Goods in the same vehicles as passengers (seed 003): parcels (bussgods) and aids
(hjälpmedel) booked by regions and municipalities, planned with the day's passengers and
settled on a cost object of their own (docs/goods.md)."""
