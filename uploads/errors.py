"""The planner's one sentence when a file cannot be used, in English and Chinese."""

from __future__ import annotations


class UploadError(ValueError):
    """A refusal the planner reads: one sentence naming the file and, where it applies, the
    layer, row and field, in English (``str(exc)``) and Chinese (``exc.text("zh")``)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class LayerChoiceError(UploadError):
    """A GeoPackage with several layers, read without naming one: ``layers`` to choose from."""

    def __init__(self, en: str, zh: str, layers: list[str]) -> None:
        super().__init__(en, zh)
        self.layers = layers


def short(exc: Exception) -> str:
    """A library's error on one line, at most 160 characters, for the planner's sentence."""
    text = " ".join(str(exc).split())
    return (text[:157] + "...") if len(text) > 160 else (text or type(exc).__name__)
