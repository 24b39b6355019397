"""A short fingerprint of panel content, so a callback can leave alone what would not change.

The side panel writes the fingerprint of what it shows into the container (``data-shown``) and
reads it back as State: a slider step that leaves the cards as they were sends and redraws
none of them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from plotly.utils import PlotlyJSONEncoder


def fingerprint(components: Any) -> str:
    """A stable short digest of ``components`` (Dash components, lists, strings)."""
    text = json.dumps(components, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
