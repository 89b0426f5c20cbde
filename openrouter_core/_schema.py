"""What generated models import: markers that describe the schema, read by the converter.

Models are plain frozen attrs classes. Everything the OpenAPI document says beyond Python types
is declared here and interpreted in one place (``_serde``):

- ``UNSET``: the default of a field that is optional *and* nullable, so absent, ``None`` (JSON
  ``null``) and a value stay three different things (a PATCH can send ``null`` to clear a field);
- ``wire("baseUrl")``: field metadata giving the JSON name when it is not the attribute name;
- ``Annotated`` constraint markers (``MinLength``, ``Ge``, ``Pattern``, ...), checked on requests
  before anything is sent, never on responses (the server's answer is not ours to reject);
- ``OneOf``: a union of models, by discriminator tag or by shape, whose members are named by
  strings and loaded only when a value needs them;
- ``RawVariant``: a union member with a tag this SDK does not know, kept as its raw JSON.

This module imports nothing heavy: every generated model module imports it.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any, Final, Literal, Union

import attrs

if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = [
    "UNSET",
    "FileInput",
    "Format",
    "Ge",
    "Gt",
    "Le",
    "Lt",
    "MaxItems",
    "MaxLength",
    "MinItems",
    "MinLength",
    "OneOf",
    "Pattern",
    "RawVariant",
    "Unset",
    "validated",
    "wire",
]


class Unset(enum.Enum):
    """The type of ``UNSET``: a field that was not given (and is not sent), as opposed to ``None`` (JSON null)."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


UNSET: Final = Unset.UNSET

WIRE_NAME = "openrouter_wire_name"


def wire(name: str) -> dict[str, str]:
    """Field metadata: the JSON name of a field whose attribute name differs (``baseUrl``, ``lambda``, ``01ai``)."""
    return {WIRE_NAME: name}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class Constraint:
    """Base of the ``Annotated`` markers; ``check`` returns why a value fails, or ``None``."""

    __slots__: tuple[str, ...] = ()

    def check(self, value: Any) -> str | None:  # pragma: no cover - every marker overrides it
        raise NotImplementedError

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, slot) for slot in self.__slots__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._values()))})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Constraint) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), *self._values()))


class MinLength(Constraint):
    """``minLength``: a string of at least ``n`` characters."""

    __slots__ = ("n",)
    n: int

    def __init__(self, n: int) -> None:
        self.n = n

    def check(self, value: Any) -> str | None:
        return f"must be at least {_count(self.n, 'character')} long" if len(value) < self.n else None


class MaxLength(Constraint):
    """``maxLength``: a string of at most ``n`` characters."""

    __slots__ = ("n",)
    n: int

    def __init__(self, n: int) -> None:
        self.n = n

    def check(self, value: Any) -> str | None:
        return f"must be at most {_count(self.n, 'character')} long" if len(value) > self.n else None


class MinItems(Constraint):
    """``minItems``: an array of at least ``n`` items."""

    __slots__ = ("n",)
    n: int

    def __init__(self, n: int) -> None:
        self.n = n

    def check(self, value: Any) -> str | None:
        return f"must have at least {_count(self.n, 'item')}" if len(value) < self.n else None


class MaxItems(Constraint):
    """``maxItems``: an array of at most ``n`` items."""

    __slots__ = ("n",)
    n: int

    def __init__(self, n: int) -> None:
        self.n = n

    def check(self, value: Any) -> str | None:
        return f"must have at most {_count(self.n, 'item')}" if len(value) > self.n else None


class Ge(Constraint):
    """``minimum``: a number greater than or equal to ``bound``."""

    __slots__ = ("bound",)
    bound: float

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def check(self, value: Any) -> str | None:
        return f"must be greater than or equal to {self.bound}" if not value >= self.bound else None


class Gt(Constraint):
    """``exclusiveMinimum``: a number greater than ``bound``."""

    __slots__ = ("bound",)
    bound: float

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def check(self, value: Any) -> str | None:
        return f"must be greater than {self.bound}" if not value > self.bound else None


class Le(Constraint):
    """``maximum``: a number less than or equal to ``bound``."""

    __slots__ = ("bound",)
    bound: float

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def check(self, value: Any) -> str | None:
        return f"must be less than or equal to {self.bound}" if not value <= self.bound else None


class Lt(Constraint):
    """``exclusiveMaximum``: a number less than ``bound``."""

    __slots__ = ("bound",)
    bound: float

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def check(self, value: Any) -> str | None:
        return f"must be less than {self.bound}" if not value < self.bound else None


class Pattern(Constraint):
    """``pattern``: a string in which the regular expression finds a match (ECMA-262 ``search`` semantics)."""

    __slots__ = ("regex",)
    regex: str

    def __init__(self, regex: str) -> None:
        self.regex = regex

    def check(self, value: Any) -> str | None:
        from openrouter_core._formats import compiled

        return None if compiled(self.regex).search(value) else f"must match the pattern {self.regex}"


class Format(Constraint):
    """``format``: ``uuid``, ``date-time`` or ``uri`` (others are documentation only)."""

    __slots__ = ("name",)
    name: str

    def __init__(self, name: str) -> None:
        self.name = name

    def check(self, value: Any) -> str | None:
        from openrouter_core._formats import format_problem

        return format_problem(self.name, value)


@attrs.frozen
class RawVariant:
    """A union member whose tag this SDK does not know: the server's JSON object, kept whole.

    Responses decode an unknown tag to this instead of failing (a newer server may add event or
    item types). Requests may send one to use a variant newer than the SDK.

    Attributes:
        raw: the JSON object, as decoded.
    """

    raw: Mapping[str, Any]

    @property
    def tag(self) -> object:
        """The discriminator value, when the union has one and the object carries it."""
        return self.raw.get("type", self.raw.get("role"))


class OneOf:
    """A union, described by strings so its members load only when a value needs them.

    Args:
        name: the union's name (for messages).
        members: type expressions of the members, in document order (``"ChatUserMessage"``,
            ``"str"``, ``"list[ChatContentItems]"``).
        discriminator: the JSON property that names the member, when the union has one.
        mapping: tag -> member expression, when the union has a discriminator.
        nullable: ``null`` is one of the values.
    """

    __slots__ = ("discriminator", "mapping", "members", "module", "name", "nullable")

    def __init__(
        self,
        name: str,
        *,
        members: tuple[str, ...],
        discriminator: str | None = None,
        mapping: Mapping[str, str] | None = None,
        nullable: bool = False,
        module: str | None = None,
    ) -> None:
        self.name = name
        self.members = members
        self.discriminator = discriminator
        self.mapping = dict(mapping) if mapping is not None else None
        self.nullable = nullable
        # Member names resolve in the module that declares the union, then among all models.
        self.module = module if module is not None else sys._getframe(1).f_globals.get("__name__")

    def __repr__(self) -> str:
        return f"OneOf({self.name!r})"

    def __or__(self, other: object) -> Any:  # ``Alias | None`` in an annotation string
        return Union[self, other]  # noqa: UP007 - a runtime union of a non-type object needs typing.Union

    def __ror__(self, other: object) -> Any:
        return Union[other, self]  # noqa: UP007


class FileField:
    """The runtime marker behind ``FileInput``: the converter checks a file value and keeps it as it is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FileInput"


class FileValue:
    """A checked file for a multipart part: its source, and the name and type it was given, if any."""

    __slots__ = ("content_type", "filename", "source")

    def __init__(self, source: object, filename: str | None = None, content_type: str | None = None) -> None:
        self.source = source
        self.filename = filename
        self.content_type = content_type

    def __repr__(self) -> str:
        return f"FileValue({self.filename or type(self.source).__name__!r})"


if TYPE_CHECKING:
    FileContent: TypeAlias = bytes | os.PathLike[str] | IO[bytes]
    FileInput: TypeAlias = FileContent | tuple[str, FileContent] | tuple[str, FileContent, str]
    """A file for a multipart upload: a path (``pathlib.Path``), ``bytes``, or a binary file object, or a
    ``(filename, content)`` / ``(filename, content, content_type)`` tuple of one of those."""
else:
    FileInput = FileField()


def validated(
    model: type, request: object, *, also: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None
) -> Any:
    """``Ok(wire data)`` when ``request`` fits ``model`` (a mapping or an instance), else ``Err(SDKValidationError)``.

    For hand-written helpers that send nothing (the OAuth URL): the same checks as every request,
    plus ``also``, a check across fields that returns ``(path, reason)`` failures.
    """
    from openrouter_core._errors import SDKValidationError
    from openrouter_core._result import Err, Ok
    from openrouter_core._serde import Invalid, validate_request

    failures: list[tuple[str, str]]
    try:
        data = validate_request(model, request if request is not None else {})
        failures = also(data) if also is not None else []
    except Invalid as exc:
        data, failures = None, exc.failures
    if failures:
        return Err(SDKValidationError(failures[0][0], failures[0][1], errors=failures))
    return Ok(data)
