"""Reading Dash component trees in unit tests."""

from __future__ import annotations

from typing import Any


def texts(component: Any) -> list[str]:
    """Every string in a Dash component tree, in document order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [s for c in component for s in texts(c)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []
