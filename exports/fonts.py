"""The CJK font every page export uses: Noto Sans CJK from Debian's ``fonts-noto-cjk``.

One font for both languages (its Latin is good), so Chinese data names inside English pages
render too. Found through matplotlib's font manager, else through fontconfig (``fc-match``);
if neither has it the export stops with a message saying what to install — never tofu boxes.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager

from exports.spec import ExportError

FAMILY = "Noto Sans CJK SC"
INSTALL_HINT = "install it with `apt-get install fonts-noto-cjk` (or `make test`, which does)"


def _via_fontconfig() -> Path | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        done = subprocess.run(
            [fc_match, "--format=%{file}", f"{FAMILY}:style=Regular"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(done.stdout.strip())
    # fc-match always answers something; only a Noto CJK file is the font asked for.
    if done.returncode != 0 or "NotoSansCJK" not in path.name or not path.is_file():
        return None
    return path


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """The font family name to give matplotlib; raises :class:`ExportError` if absent."""
    prop = font_manager.FontProperties(family=FAMILY)
    try:
        font_manager.findfont(prop, fallback_to_default=False)
        return FAMILY
    except ValueError:
        pass
    path = _via_fontconfig()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        try:
            font_manager.findfont(prop, fallback_to_default=False)
            return FAMILY
        except ValueError:
            pass
    raise ExportError(f"the CJK font {FAMILY!r} was not found; {INSTALL_HINT}")
