"""TrueType copies of the CJK font for PDF output.

Noto Sans CJK ships with PostScript (CFF) outlines. matplotlib embeds every font for
``pdf.fonttype`` 42 as a TrueType CID font, so a CFF font lands in the PDF under a TrueType
label — readers such as Acrobat then show wrong glyphs (matplotlib issues #2869, #20870).
Before a PDF is saved, each text's font is swapped for a TrueType (``glyf``) subset made with
fontTools from the same face, holding just the characters on the page: same metrics, same
names (the PDF still says NotoSansCJKsc), quadratic outlines within 1 font unit.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

MAX_ERROR = 1.0  # font units (of 1000 per em): the cubic → quadratic tolerance
_MAXP_ZEROED = (
    "maxPoints",
    "maxContours",
    "maxCompositePoints",
    "maxCompositeContours",
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
    "maxComponentDepth",
)


def _face_index(path: str, found: object, family: str) -> int:
    index = getattr(found, "face_index", None)
    if index is not None:
        return int(index)
    if not path.lower().endswith(".ttc"):
        return 0
    collection = TTCollection(path, lazy=True)
    for i, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return i
    return 0


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines of ``font`` by quadratic ``glyf`` outlines, in place."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        glyph.recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in _MAXP_ZEROED:
        setattr(maxp, attr, 0)  # recomputed from glyf when the font is compiled
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def truetype_subset(path: str, face: int, text: str, out: Path) -> Path:
    """A TrueType-outline subset of face ``face`` of ``path`` covering ``text``, at ``out``."""
    options = subset.Options()
    options.font_number = face
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    font = subset.load_font(path, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    font.save(str(out))
    return out


def use_truetype(fig: Figure, workdir: Path) -> None:
    """Point every text of ``fig`` at a TrueType subset of the font it already uses.

    Layout is unchanged: the subsets have the original advance widths and metrics.
    """
    by_font: dict[tuple[str, int], list[Text]] = defaultdict(list)
    for text in fig.findobj(Text):
        if not text.get_text():
            continue
        prop = text.get_fontproperties()
        found = font_manager.findfont(prop)
        path = str(found)
        by_font[(path, _face_index(path, found, prop.get_family()[0]))].append(text)
    for n, ((path, face), texts) in enumerate(by_font.items()):
        chars = "".join(sorted({c for t in texts for c in t.get_text()}))
        ttf = truetype_subset(path, face, chars, workdir / f"font{n}.ttf")
        for text in texts:
            old = text.get_fontproperties()
            text.set_fontproperties(FontProperties(fname=str(ttf), size=old.get_size_in_points()))
