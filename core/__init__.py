"""The story's domain, written once: themes, the tables and their lookups, status and visibility
in a year, which figure a card shows, what changed between two years, the shareable view, the
style specification, the text catalogue and the app's prepared data.

``layers/``, ``panels/``, ``exports/``, ``callbacks/`` and ``layout/`` depend on this package and
on nothing sideways; this package depends only on ``geodata/``.
"""
