"""Component IDs, defined once."""

MAP = "atlas-map"
BOUNDARIES = "atlas-boundaries"
PLACES = "atlas-places"
DETAILS = "atlas-details"
TITLE = "atlas-title"
