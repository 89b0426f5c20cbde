"""Hand-written modules the generator writes beside the generated ones (``templates/*.py.tmpl``).

``$name`` placeholders are filled with names the generator derived, so a renamed model breaks the
type check instead of going unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from tools.codegen import text

TEMPLATES = Path(__file__).parent / "templates"


def render(name: str, **names: str) -> str:
    """The source of ``openrouter_funcs/<name>.py`` from ``templates/<name>.py.tmpl``."""
    source = (TEMPLATES / f"{name}.py.tmpl").read_text(encoding="utf-8")
    return f"{text.HEADER}\n{Template(source).substitute(names)}"
