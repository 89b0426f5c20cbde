"""Which operation a request is for, and which requests a queue key names: both from the generated routes."""

from __future__ import annotations

import difflib
import functools
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import attrs

from openrouter.testing._routes import ROUTES, Route
from openrouter.testing._wire import api_path

__all__ = ["OPERATIONS", "Match", "Matcher", "Miss", "Router", "router"]

OPERATIONS: Mapping[str, str] = {route.operation_id: f"{route.method} {route.path}" for route in ROUTES}
"""Operation id -> ``"METHOD /path"`` (the document's template) of every operation the fake serves."""


class Match(NamedTuple):
    """A request's operation and its path parameters (percent-decoded)."""

    route: Route
    params: dict[str, str]


class Miss(NamedTuple):
    """No operation: ``404``, or ``405`` with the methods the path allows."""

    status: int
    allowed: tuple[str, ...] = ()


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


class _Template:
    __slots__ = ("literal", "methods", "names", "path", "segments")

    def __init__(self, path: str) -> None:
        self.path = path
        self.segments = _segments(path)
        self.names = [s[1:-1] if s.startswith("{") and s.endswith("}") else None for s in self.segments]
        self.literal = tuple(name is None for name in self.names)  # earlier literals rank first
        self.methods: dict[str, list[Route]] = {}

    def bind(self, parts: list[str]) -> dict[str, str] | None:
        if len(parts) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for part, segment, name in zip(parts, self.segments, self.names, strict=True):
            if name is None:
                if part != segment:
                    return None
            elif not part:
                return None
            else:
                params[name] = urllib.parse.unquote(part)
        return params


class Router:
    """Routes requests to operations; longest literal prefix wins (``/models/count`` over ``/models/{x}``)."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)
        templates: dict[str, _Template] = {}
        for route in self.routes:
            template = templates.setdefault(route.path, _Template(route.path))
            template.methods.setdefault(route.method, []).append(route)
        self._templates = sorted(templates.values(), key=lambda t: t.literal, reverse=True)
        self.by_id = {route.operation_id: route for route in self.routes}
        self.by_function = {route.function: route for route in self.routes}

    def resolve(self, method: str, path: str, content_type: str = "") -> Match | Miss:
        """The operation for ``method`` and ``path`` (with or without ``/api/v1``).

        ``content_type`` picks the form of an operation with two bodies (multipart or JSON).
        """
        parts = _segments(api_path(path))
        for template in self._templates:
            params = template.bind(parts)
            if params is None:
                continue
            forms = template.methods.get(method.upper())
            if not forms:
                return Miss(405, tuple(template.methods))
            multipart = content_type.lower().startswith("multipart/")
            chosen = next((r for r in forms if (r.body == "multipart") == multipart), forms[0])
            return Match(chosen, params)
        return Miss(404)

    def lookup(self, name: str) -> Route | None:
        """The route of an operation id or a function name (``_async`` twins included)."""
        if name.endswith("_async") and name[: -len("_async")] in self.by_function:
            name = name[: -len("_async")]
        return self.by_id.get(name) or self.by_function.get(name)

    def matcher(self, key: str) -> Matcher:
        """The requests a queue key names.

        Raises:
            ValueError: the key is none of the accepted forms, or names no operation.
        """
        text = key.strip()
        if text == "*":
            return Matcher()
        route = self.lookup(text)
        if route is not None:
            return Matcher(operations=frozenset({route.operation_id}))
        method, _, path = text.rpartition(" ")
        method = method.strip().upper()
        if not path.startswith("/") or (method and not method.isalpha()):
            close = difflib.get_close_matches(text, [*self.by_id, *self.by_function], n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ValueError(
                f"queue key {key!r} is not '*', an operation id or function name (e.g. 'getCredits', "
                f"'chat_send'), 'METHOD /path' or '/path' (e.g. 'GET /credits', 'GET /keys/{{hash}}'){hint}"
            )
        path = api_path(path)
        if "{" in path:
            ids = frozenset(
                r.operation_id for r in self.routes if r.path == path and (not method or r.method == method)
            )
            if not ids:
                raise ValueError(f"queue key {key!r}: no operation has the path template {path!r}")
            return Matcher(operations=ids)
        return Matcher(method=method or None, path=path)


@attrs.frozen
class Matcher:
    """Which requests a queued answer is for: some operations, or a method and a concrete path."""

    operations: frozenset[str] | None = None
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str, operation: str | None) -> bool:
        """Whether a request (``path`` with or without ``/api/v1``) is one of these."""
        if self.operations is not None:
            return operation in self.operations
        return (self.method is None or self.method == method) and (self.path is None or self.path == api_path(path))


@functools.cache
def router() -> Router:
    """The router of every operation of the document."""
    return Router(ROUTES)
