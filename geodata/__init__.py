"""The atlas data: source tables, the GeoPackage built from them, and its loaders."""
