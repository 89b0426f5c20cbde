"""Names: Python identifiers from the document's names, one rule each, all deterministic.

Every rule here is documented in ``tools/codegen/README.md``; ``tests/codegen/test_names.py``
pins the operation names against ``operations.md``.
"""

from __future__ import annotations

import keyword
import re

# Names used inside generated annotations and class bodies. A field or key with one of these
# names would shadow it (``list: ...`` followed by ``list[str]`` in the same class), so it gets
# a trailing underscore like a keyword does.
RESERVED = frozenset(
    {
        "Annotated",
        "Any",
        "FileInput",
        "Format",
        "Ge",
        "Gt",
        "Le",
        "Literal",
        "Lt",
        "MaxItems",
        "MaxLength",
        "MinItems",
        "MinLength",
        "OneOf",
        "Pattern",
        "RawVariant",
        "TYPE_CHECKING",
        "UNSET",
        "Unset",
        "attrs",
        "bool",
        "dict",
        "float",
        "int",
        "list",
        "str",
        "wire",
    }
)

_LOWER_OR_DIGIT_THEN_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ACRONYM_END = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def snake(name: str) -> str:
    """``apiKeysList`` -> ``api_keys_list``; ``ForAPIKey`` -> ``for_api_key``; ``SHA256Code`` -> ``sha256_code``.

    Split before an upper-case letter that follows a lower-case letter or a digit, and before the
    last capital of an acronym followed by a lower-case letter; any other character than a letter or
    digit is a separator; lower-case; no leading, trailing or doubled underscores.
    """
    text = _ACRONYM_END.sub("_", _LOWER_OR_DIGIT_THEN_UPPER.sub("_", name))
    return "_".join(part for part in _NOT_ALNUM.sub("_", text).lower().split("_") if part)


def pascal(name: str) -> str:
    """``total_credits`` -> ``TotalCredits``; ``baseUrl`` -> ``BaseUrl``; ``01ai`` -> ``01ai``."""
    return "".join(part[:1].upper() + part[1:] for part in snake(name).split("_"))


def pascal_operation_id(operation_id: str) -> str:
    """``createKeys`` -> ``CreateKeys``; ``createX_multipart`` -> ``CreateXMultipart``."""
    return "".join(part[:1].upper() + part[1:] for part in operation_id.split("_") if part)


def attribute(wire: str) -> str:
    """The attribute name of a JSON property or query/path parameter.

    The wire name itself when it is already snake_case (lower-case letters, digits, underscores,
    starting with a letter), not a keyword and not reserved; otherwise ``snake(wire)``, with
    ``n_`` before a leading digit (``01ai`` -> ``n_01ai``) and ``_`` after a keyword or a reserved
    name (``lambda`` -> ``lambda_``). ``_shape`` -> ``shape``; ``baseUrl`` -> ``base_url``;
    ``amazon-bedrock/claude-on-aws`` -> ``amazon_bedrock_claude_on_aws``.
    """
    if _SNAKE.fullmatch(wire) and not keyword.iskeyword(wire) and wire not in RESERVED:
        return wire
    name = snake(wire)
    if not name:
        raise ValueError(f"no Python name can be made from {wire!r}")
    if name[0].isdigit():
        name = "n_" + name
    if keyword.iskeyword(name) or name in RESERVED:
        name += "_"
    return name


def header_attribute(header: str) -> str:
    """``X-OpenRouter-Metadata`` -> ``x_openrouter_metadata`` (headers are case-insensitive: no camel split)."""
    return _NOT_ALNUM.sub("_", header).strip("_").lower()


def module(component: str) -> str:
    """A component's module: ``WebSearchServerTool_OpenRouter`` -> ``web_search_server_tool_open_router``."""
    name = snake(component)
    if not name.isidentifier() or keyword.iskeyword(name) or name[0].isdigit():
        raise ValueError(f"component {component!r} gives no usable module name ({name!r})")
    return name


def tag_words(tag: str) -> list[str]:
    """The words of a tag, split on spaces only: ``Video Generation`` -> ``["Video", "Generation"]``."""
    return tag.split()


def namespace(tag: str) -> str:
    """The Python namespace of a tag: its words lower-cased, joined by ``_`` (``OAuth`` -> ``oauth``)."""
    return "_".join(word.lower() for word in tag_words(tag))


def namespace_class(words: list[str]) -> str:
    """The facade class of a namespace: ``API Keys`` -> ``ApiKeys``, ``OAuth`` -> ``OAuth``, ``BYOK`` -> ``Byok``."""
    return "".join(word.capitalize() if word.isupper() else word[:1].upper() + word[1:] for word in words)
