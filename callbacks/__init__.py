"""Dash callbacks, one module per concern, each exposing ``register(app, atlas)``."""
