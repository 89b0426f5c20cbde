"""Hand-written modules the generator writes beside the generated ones (``templates/*.py.tmpl``).

``$name`` placeholders are filled with names the generator derived, so a renamed model breaks the
type check instead of going unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from tools.codegen import text
from tools.codegen.operations import Op

TEMPLATES = Path(__file__).parent / "templates"


def render(name: str, **names: str) -> str:
    """The source of ``openrouter_funcs/<name>.py`` from ``templates/<name>.py.tmpl``."""
    source = (TEMPLATES / f"{name}.py.tmpl").read_text(encoding="utf-8")
    return f"{text.HEADER}\n{Template(source).substitute(names)}"


def render_beta_alias(send: Op) -> str:
    """``openrouter_funcs/beta_responses_send.py`` from its template (a streaming operation's alias)."""
    assert send.request is not None
    assert send.stream is not None
    assert send.stream.event_model is not None
    assert send.declared[0].model
    response_module, response_name = send.declared[0].model.split(":")
    event_module, event_name = send.stream.event_model.split(":")
    return render(
        "beta_responses_send",
        request=send.request.name,
        request_module=send.module,
        response=response_name,
        response_module=response_module,
        event=event_name,
        event_module=event_module,
        default="" if send.request_required else " | None = None",
    )
