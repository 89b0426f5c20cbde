"""Model modules: ``openrouter_funcs/models/<module>.py``, ``_index.py`` and the lazy ``__init__.py``.

A model module imports at runtime only ``__future__``, ``typing``, ``attrs`` (``enum`` for an enum
class) and ``openrouter_core._schema``; other models' names are imported under ``TYPE_CHECKING``
(annotations are strings, resolved by the runtime through ``_index.MODULES``). The one exception
is an operation's request class, which subclasses its body class.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from tools.codegen import text
from tools.codegen.schema import (
    SCHEMA_NAMES,
    TYPING_NAMES,
    AliasDef,
    ClassDef,
    Definition,
    EnumDef,
    Field,
    TypeRef,
    UnionDef,
)

PACKAGE = "openrouter_funcs.models"
APP_HEADER_NAMES = ("http_referer", "app_title", "app_categories")


def dotted(module: str) -> str:
    """``chat_result`` -> ``openrouter_funcs.models.chat_result``."""
    return f"{PACKAGE}.{module}"


def path_of(module: str) -> str:
    """``ops.chat_send`` -> ``openrouter_funcs/models/ops/chat_send.py``."""
    return "openrouter_funcs/models/" + module.replace(".", "/") + ".py"


class Imports:
    """The import lines of one module, grouped the way isort orders them."""

    def __init__(self) -> None:
        self.typing: set[str] = set()
        self.schema: set[str] = set()
        self.attrs = False
        self.enum = False
        self.runtime_models: dict[str, set[str]] = {}
        self.checking_models: dict[str, set[str]] = {}
        self.checking_ext: set[str] = set()
        self.checking_schema: set[str] = set()
        self.type_checking = False

    def use(self, ref: TypeRef) -> None:
        """Record the typing and marker names a type uses."""
        self.typing |= ref.helpers & TYPING_NAMES
        self.schema |= ref.helpers & SCHEMA_NAMES

    def use_dict(self, ref: TypeRef) -> None:
        """Record the typing names a type's dict form uses (it has no markers)."""
        self.typing |= {name for name in ("Any", "Literal") if re.search(rf"\b{name}\b", ref.dict_ann)}
        if "FileInput" in ref.dict_ann:
            self.schema.add("FileInput")

    def lines(self) -> list[str]:
        """The import block, sorted (ruff's isort rules: future, stdlib, third party, first party)."""
        out = ["from __future__ import annotations", ""]
        for group in (self._stdlib(), ["import attrs"] if self.attrs else [], self._first_party()):
            if group:
                out += [*group, ""]
        block = self._checking_block() if self.type_checking else []
        if block:
            out += ["if TYPE_CHECKING:", *block, ""]
        return out

    def _stdlib(self) -> list[str]:
        """``import enum`` and the ``typing`` names."""
        found = ["import enum"] if self.enum else []
        typing_names = self.typing | ({"TYPE_CHECKING"} if self.type_checking else set())
        if typing_names:
            found.append(f"from typing import {', '.join(sorted(typing_names, key=_isort_key))}")
        return found

    def _first_party(self) -> list[str]:
        """The runtime imports of ``openrouter_core._schema`` and of models (an op request's base)."""
        found = []
        if self.schema:
            found.append(f"from openrouter_core._schema import {', '.join(sorted(self.schema, key=_isort_key))}")
        found += [
            f"from {dotted(module)} import {', '.join(sorted(names))}"
            for module, names in sorted(self.runtime_models.items())
        ]
        return found

    def _checking_block(self) -> list[str]:
        """The body of ``if TYPE_CHECKING:`` (indented; empty when nothing is imported there)."""
        block = []
        if self.checking_ext:
            block += [f"    from typing_extensions import {', '.join(sorted(self.checking_ext, key=_isort_key))}", ""]
        if self.checking_schema:
            block.append(
                f"    from openrouter_core._schema import {', '.join(sorted(self.checking_schema, key=_isort_key))}"
            )
        for module in sorted(self.checking_models):
            listed = ", ".join(sorted(self.checking_models[module], key=_isort_key))
            block.append(f"    from {dotted(module)} import {listed}")
        while block and block[-1] == "":
            block.pop()
        return block


def _isort_key(name: str) -> tuple[int, str]:
    # isort's force-sort-within-sections default orders CONSTANTS, then Classes, then functions.
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def field_annotation(item: Field) -> tuple[str, str | None]:
    """``(annotation, default source or None)`` for the four property states."""
    ann = item.type.ann
    if item.required and not item.nullable:
        return ann, None
    if item.required:
        return f"{ann} | None", None
    if not item.nullable:
        return f"{ann} | None", "None"
    return f"{ann} | Unset | None", "UNSET"


def field_line(item: Field, renamed: bool) -> str:
    """One attrs field."""
    ann, default = field_annotation(item)
    if renamed or item.secret:
        args = [f"default={default}"] if default else []
        if renamed:
            args.append(f"metadata=wire({item.wire!r})")
        if item.secret:
            args.append("repr=False")
        return f"    {item.name}: {ann} = attrs.field({', '.join(args)})"
    if default:
        return f"    {item.name}: {ann} = {default}"
    return f"    {item.name}: {ann}"


def field_doc(item: Field) -> list[str]:
    """The ``Attributes:`` lines of a field (none when it has no description)."""
    doc = text.plain(item.doc)
    if item.deprecated:
        doc = ("Deprecated. " + doc).strip()
    if not doc:
        return []
    lines = textwrap.wrap(
        f"{item.name}: {doc}",
        width=text.LINE_LENGTH - 8,
        initial_indent="",
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = text.shorten(lines[-1] + " ...", text.LINE_LENGTH - 8)
    return ["    " + line for line in lines]


def class_docstring(definition: ClassDef, fields: list[Field], fallback: str) -> list[str]:
    """The docstring of a class: summary, a few lines of description, ``Attributes:``."""
    head = text.summary(definition.doc, fallback, text.LINE_LENGTH - 14)
    body: list[str] = []
    more = text.paragraph(definition.doc, 4, 6)
    if more:
        body += ["", *more]
    attributes = [line for item in fields for line in field_doc(item)]
    if attributes:
        body += ["", "Attributes:", *attributes]
    if body:
        body.append("")
        body = body[:-1]
    return text.docstring(4, head, body)


def render_class(definition: ClassDef, renamed: set[str]) -> list[str]:
    """A frozen, keyword-only attrs class."""
    base = f"({definition.base})" if definition.base else ""
    fallback = f"The {definition.where}." if definition.where else f"``{definition.name}``."
    lines = ["", "", "@attrs.frozen(kw_only=True)", f"class {definition.name}{base}:"]
    lines += class_docstring(definition, definition.fields, fallback)
    if definition.fields:
        lines.append("")
        lines += [field_line(item, item.name in renamed) for item in definition.fields]
    if definition.extra is not None:
        lines += ["", "    # Other keys are allowed in requests and sent as given, checked against this type:"]
        lines.append(f"    __extra__ = {definition.extra!r}")
    return lines


def typed_dict(definition: ClassDef, fields: Iterable[Field], streaming: bool | None = None) -> list[str]:
    """The ``<Name>Dict`` TypedDict of a class (under ``TYPE_CHECKING``).

    With ``streaming`` (a streaming operation's request), the stream field is split: ``False`` gives
    ``<Name>Dict`` (``NotRequired[Literal[False]]``), ``True`` gives ``<Name>StreamingDict``
    (``Required[Literal[True]]``).
    """
    name = definition.name + ("StreamingDict" if streaming else "Dict")
    entries = []
    for item in fields:
        value = item.type.dict_ann + (" | None" if item.nullable else "")
        if streaming is not None and item.dict_key == definition.stream_field:
            value = "Required[Literal[True]]" if streaming else "NotRequired[Literal[False]]"
        elif not item.required:
            value = f"NotRequired[{value}]"
        entries.append((item.dict_key, value))
    identifiers = all(key.isidentifier() and key not in _RESERVED_KEYS for key, _ in entries)
    doc = f"The dict form of ``{definition.name}``: the same fields, by their JSON names."
    if streaming is not None:
        answer = "a stream of events" if streaming else "one complete answer"
        doc = f"The dict form of ``{definition.name}`` that asks for {answer}."
    if len(doc) > text.LINE_LENGTH - 14:
        doc = f"The dict form of ``{definition.name}``."
    if identifiers:
        lines = ["", f"    class {name}(TypedDict):", f'        """{doc}"""']
        if entries:
            lines.append("")
            lines += [f"        {key}: {value}" for key, value in entries]
        return lines
    body = ", ".join(f"{key!r}: {value}" for key, value in entries)
    return ["", f"    # {doc}", f"    {name} = TypedDict({name!r}, {{{body}}})"]


_RESERVED_KEYS = frozenset(
    {"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del"}
    | {"elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda"}
    | {"nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"}
    | {"Any", "Literal", "NotRequired", "Required", "TypedDict", "bool", "dict", "float", "int", "list", "str"}
)


def render_union(definition: UnionDef) -> list[str]:
    """A union: its typing form for type checkers, a ``OneOf`` at runtime."""
    members = [member.ann for member in definition.members]
    typing_form = " | ".join([*members, *(["RawVariant"] if definition.discriminator else [])])
    if definition.nullable:
        typing_form += " | None"
    args = [repr(definition.name), f"members=({', '.join(repr(m) for m in members)},)"]
    if definition.discriminator is not None:
        mapping = ", ".join(f"{tag!r}: {target!r}" for tag, target in (definition.mapping or {}).items())
        args += [f"discriminator={definition.discriminator!r}", f"mapping={{{mapping}}}"]
    if definition.nullable:
        args.append("nullable=True")
    args.append("module=__name__")
    lines = ["", ""]
    if definition.doc:
        lines += text.comment(f"{definition.name}: {definition.doc}", 0)
    lines += [
        "if TYPE_CHECKING:",
        f"    {definition.name}: TypeAlias = {typing_form}",
        "else:",
        f"    {definition.name} = OneOf({', '.join(args)})",
    ]
    return lines


def shares_known_values(definition: EnumDef) -> bool:
    """An open enum whose closed dict form requests use: its values are written once, in a private alias."""
    return definition.with_dict and not definition.varnames and len(definition.values) > 1


def known_values_name(definition: EnumDef) -> str:
    """The private alias of an open enum's known values."""
    return f"_{definition.name}Known"


def render_enum(definition: EnumDef) -> list[str]:
    """A component enum: an open ``Literal`` alias, or an ``enum`` class when it names its members."""
    lines = ["", ""]
    if definition.varnames:
        base = "enum.IntEnum" if all(isinstance(v, int) for v in definition.values) else "str, enum.Enum"
        fallback = f"The ``{definition.name}`` values."
        head = text.summary(definition.doc, fallback, text.LINE_LENGTH - 14)
        note = "The enum is open: other values are sent and received as they are."
        lines += [f"class {definition.name}({base}):", *text.docstring(4, head, ["", note]), ""]
        lines += [f"    {name} = {value!r}" for name, value in zip(definition.varnames, definition.values, strict=True)]
        return lines
    kind = "str" if all(isinstance(v, str) for v in definition.values) else "int"
    literal = "Literal[" + ", ".join(repr(v) for v in definition.values) + "]"
    if shares_known_values(definition):
        # The known values once: the open alias and the requests' closed dict form both name them.
        lines += [f"{known_values_name(definition)}: TypeAlias = {literal}", ""]
        literal = known_values_name(definition)
    value = literal if len(definition.values) == 1 else f"{literal} | {kind}"
    if definition.nullable:
        value += " | None"
    lines.append(f"{definition.name}: TypeAlias = {value}")
    lines += text.docstring(0, text.summary(definition.doc, f"The ``{definition.name}`` values.", text.LINE_LENGTH - 6))
    return lines


def render_alias(definition: AliasDef) -> list[str]:
    """Another component (array, map, scalar): a type alias, quoted when it names other models."""
    value = definition.type.ann + (" | None" if definition.type.nullable else "")
    source = repr(value) if definition.type.names else value
    doc = text.plain(definition.doc) or f"The ``{definition.name}`` schema."
    return [
        "",
        "",
        f"{definition.name}: TypeAlias = {source}",
        *text.docstring(0, text.summary(doc, doc, text.LINE_LENGTH - 6)),
    ]


class ModuleWriter:
    """Renders every model module from the builder's definitions."""

    def __init__(self, modules: dict[str, list[Definition]], definitions: dict[str, Definition]) -> None:
        self.modules = modules
        self.definitions = definitions

    def module_of(self, name: str) -> str:
        """The module defining ``name`` (a ``...Dict`` lives beside its model)."""
        if name in self.definitions:
            return self.definitions[name].module
        if name.endswith("Dict") and name[:-4] in self.definitions:
            return self.definitions[name[:-4]].module
        raise KeyError(name)

    def fields_for_dict(self, definition: ClassDef) -> list[Field]:
        """A class's fields for its TypedDict, base class fields first."""
        fields: list[Field] = []
        if definition.base:
            base = self.definitions[definition.base]
            assert isinstance(base, ClassDef)
            fields += self.fields_for_dict(base)
        return fields + definition.fields

    def ordered(self, module: str) -> list[Definition]:
        """The module's definitions, each after what it needs at (type-checking) runtime.

        Enums first, then classes (a class after its same-module base), then unions and aliases,
        each after the unions and aliases of this module it names. Class annotations are strings,
        so classes may name anything; an alias's value is evaluated, so its names must exist.
        """
        definitions = list(self.modules[module])
        enums = [d for d in definitions if isinstance(d, EnumDef)]
        classes = [d for d in definitions if isinstance(d, ClassDef)]
        for definition in list(classes):
            if definition.base:
                base = next((d for d in classes if d.name == definition.base), None)
                if base is not None and classes.index(base) > classes.index(definition):
                    classes.remove(definition)
                    classes.insert(classes.index(base) + 1, definition)
        aliases = [d for d in definitions if isinstance(d, UnionDef | AliasDef)]
        local = {d.name for d in aliases}
        done: list[Definition] = []
        placed: set[str] = set()

        def place(definition: Definition, trail: tuple[str, ...] = ()) -> None:
            if definition.name in placed:
                return
            if definition.name in trail:
                raise ValueError(f"aliases refer to each other: {' -> '.join((*trail, definition.name))}")
            refs = _alias_refs(definition)
            for other in aliases:
                if other.name in refs and other.name in local:
                    place(other, (*trail, definition.name))
            placed.add(definition.name)
            done.append(definition)

        for alias in aliases:
            place(alias)
        return [*enums, *classes, *done]

    def render(self, module: str, head: str) -> str:
        """The source of one model module."""
        definitions = self.ordered(module)
        parts = ModuleParts(self, {d.name for d in definitions})
        for definition in definitions:
            parts.public.append(definition.name)
            if isinstance(definition, ClassDef):
                parts.add_class(definition)
            elif isinstance(definition, UnionDef):
                parts.add_union(definition)
            elif isinstance(definition, EnumDef):
                parts.add_enum(definition)
            elif isinstance(definition, AliasDef):
                parts.add_alias(definition)
        body = parts.body
        if parts.dicts or parts.dict_aliases:
            parts.imports.type_checking = True
            body += ["", "", "if TYPE_CHECKING:", *parts.dicts, *parts.dict_aliases]
        lines = [text.HEADER, *text.docstring(0, head), "", *parts.imports.lines()]
        lines += ["__all__ = [" + ", ".join(repr(name) for name in sorted(parts.public)) + "]"]
        lines += body
        return "\n".join(lines) + "\n"


class ModuleParts:
    """What one model module accumulates: imports, definitions, ``TypedDict`` s, dict aliases, ``__all__``."""

    def __init__(self, writer: ModuleWriter, local: set[str]) -> None:
        self.writer = writer
        self.local = local
        self.imports = Imports()
        self.body: list[str] = []
        self.dicts: list[str] = []
        self.dict_aliases: list[str] = []
        self.public: list[str] = []

    def need(self, names: Iterable[str], *, runtime: bool = False) -> None:
        """Import model names defined elsewhere (under ``TYPE_CHECKING`` unless ``runtime``)."""
        for name in names:
            if name in self.local or (name.endswith("Dict") and name[:-4] in self.local):
                continue
            target = self.imports.runtime_models if runtime else self.imports.checking_models
            target.setdefault(self.writer.module_of(name), set()).add(name)
            if not runtime:
                self.imports.type_checking = True

    def add_class(self, definition: ClassDef) -> None:
        """An attrs class, and its ``TypedDict`` when requests use it."""
        imports = self.imports
        imports.attrs = True
        renamed = {f.name for f in definition.fields if f.name != f.wire and f.dict_key == f.wire}
        if renamed:
            imports.schema.add("wire")
        for item in definition.fields:
            imports.use(item.type)
            self.need(item.type.names)
            _, default = field_annotation(item)
            if default == "UNSET":
                imports.schema |= {"UNSET", "Unset"}
        if definition.base:
            self.need([definition.base], runtime=True)
        self.body += render_class(definition, renamed)
        if definition.with_dict:
            self.add_typed_dict(definition)

    def add_typed_dict(self, definition: ClassDef) -> None:
        """The ``<Name>Dict`` of a class (base class fields included)."""
        fields = self.writer.fields_for_dict(definition)
        for item in fields:
            self.imports.use_dict(item.type)
            self.need(item.type.dict_names)
        if any(not f.required for f in fields):
            self.imports.checking_ext.add("NotRequired")
        self.imports.checking_ext.add("TypedDict")
        self.imports.type_checking = True
        if definition.stream_field is None:
            self.dicts += typed_dict(definition, fields)
            return
        self.imports.typing.add("Literal")
        self.imports.checking_ext.add("Required")
        self.dicts += typed_dict(definition, fields, streaming=False)
        self.dicts += typed_dict(definition, fields, streaming=True)

    def add_union(self, definition: UnionDef) -> None:
        """A union alias, and its dict form when requests use it."""
        imports = self.imports
        imports.type_checking = True
        imports.schema.add("OneOf")
        imports.typing.add("TypeAlias")
        if definition.discriminator:
            imports.checking_schema.add("RawVariant")
        for member in definition.members:
            imports.use(member)
            self.need(member.names)
        self.body += render_union(definition)
        if definition.with_dict:
            forms = [member.dict_ann for member in definition.members]
            for member in definition.members:
                imports.use_dict(member)
                self.need(member.dict_names)
            value = " | ".join(forms) + (" | None" if definition.nullable else "")
            self.dict_aliases += ["", f"    {definition.name}Dict: TypeAlias = {value}"]

    def add_enum(self, definition: EnumDef) -> None:
        """An enum alias (or class), and its closed dict form when requests use it."""
        if definition.varnames:
            self.imports.enum = True
        else:
            self.imports.typing |= {"Literal", "TypeAlias"} if len(definition.values) else {"TypeAlias"}
        self.body += render_enum(definition)
        if definition.with_dict and not definition.varnames:
            self.imports.typing |= {"Literal", "TypeAlias"}
            literal = "Literal[" + ", ".join(repr(v) for v in definition.values) + "]"
            if shares_known_values(definition):
                literal = known_values_name(definition)
            value = literal + (" | None" if definition.nullable else "")
            self.dict_aliases[:0] = ["", f"    {definition.name}Dict: TypeAlias = {value}"]

    def add_alias(self, definition: AliasDef) -> None:
        """A plain type alias."""
        self.imports.typing.add("TypeAlias")
        self.imports.use(definition.type)
        self.need(definition.type.names)
        self.body += render_alias(definition)


def _alias_refs(definition: Definition) -> set[str]:
    """The model names (and their dict forms) an alias's value names."""
    refs: set[str] = set()
    if isinstance(definition, UnionDef):
        for member in definition.members:
            refs |= member.names | {name[:-4] for name in member.dict_names}
    elif isinstance(definition, AliasDef):
        refs |= definition.type.names
    return refs


def render_index(definitions: dict[str, Definition]) -> str:
    """``_index.py``: every public model name -> its module's dotted name."""
    entries = "\n".join(f"    {name!r}: {dotted(d.module)!r}," for name, d in sorted(definitions.items()))
    return (
        f"{text.HEADER}\n"
        '"""Where each model lives: public name -> module (read by ``openrouter_funcs.models`` and the runtime)."""\n'
        "\n"
        "from __future__ import annotations\n"
        "\n"
        '__all__ = ["MODULES"]\n'
        "\n"
        f"MODULES: dict[str, str] = {{\n{entries}\n}}\n"
    )


def render_package(definitions: dict[str, Definition]) -> str:
    """``openrouter_funcs/models/__init__.py``: lazy access to every model by name (PEP 562)."""
    by_module: dict[str, list[str]] = {}
    for name, definition in definitions.items():
        names = by_module.setdefault(definition.module, [])
        names.append(name)
        has_dict = not isinstance(definition, AliasDef) and not (
            isinstance(definition, EnumDef) and definition.varnames
        )
        if definition.with_dict and has_dict:
            names.append(name + "Dict")
        if isinstance(definition, ClassDef) and definition.stream_field:
            names.append(name + "StreamingDict")
    checking = []
    for module in sorted(by_module):
        listed = ", ".join(f"{n} as {n}" for n in sorted(by_module[module], key=_isort_key))
        checking.append(f"    from {dotted(module)} import {listed}")
    return "\n".join(
        [
            text.HEADER,
            '"""Request and response models, one module per schema: ``from openrouter_funcs.models import Name``.',
            "",
            "Names are loaded on first access (PEP 562), each from its own module, so importing this package",
            "costs nothing and a name costs only the module that defines it. The ``...Dict`` ``TypedDict`` s",
            "exist for type checkers only: import them under ``if TYPE_CHECKING:``.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "import importlib",
            "from typing import TYPE_CHECKING, Any",
            "",
            "if TYPE_CHECKING:",
            *checking,
            "",
            "",
            "def __getattr__(name: str) -> Any:",
            '    """Import the module that defines ``name`` and return it (cached in this package afterwards)."""',
            "    from openrouter_funcs.models._index import MODULES  # only now: importing one model must not load it",
            "",
            "    module = MODULES.get(name)",
            "    if module is None:",
            '        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
            "    value = getattr(importlib.import_module(module), name)",
            "    globals()[name] = value",
            "    return value",
            "",
            "",
            "def __dir__() -> list[str]:",
            '    """Every model name, loaded or not."""',
            "    from openrouter_funcs.models._index import MODULES",
            "",
            "    return sorted({*globals(), *MODULES})",
            "",
        ]
    )
