"""The built-in templates ("version 0"), shipped as files in ./defaults/."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .models import TemplateKind

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"


@dataclass(frozen=True)
class Content:
    """What a template version holds; `number` 0 is the built-in default."""

    number: int
    html: str
    subject: str = ""
    css: str = ""
    text: str = ""


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


@lru_cache(maxsize=None)
def default_content(kind: str, name: str, language: str = "") -> Content:
    if kind == TemplateKind.EMAIL:
        base = DEFAULTS_DIR / "email" / f"{name}.{language or 'en'}"
        return Content(
            number=0,
            subject=_read(base.with_name(base.name + ".subject.txt")).strip(),
            html=_read(base.with_name(base.name + ".html")),
            text=_read(base.with_name(base.name + ".txt")),
        )
    base = DEFAULTS_DIR / "document" / name
    return Content(number=0, html=_read(base.with_suffix(".html")), css=_read(base.with_suffix(".css")))
