"""Pure functions from atlas data (+ year, language) to map layers and GeoJSON."""
