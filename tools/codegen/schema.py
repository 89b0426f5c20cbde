"""Schemas -> definitions: which classes, unions, enums and aliases exist, their names and modules.

``Builder`` walks the document once. Every schema node becomes a ``TypeRef`` (the Python type
expression of a value of that schema); nodes that need a name (objects, unions, component enums
and aliases) also become a definition (``ClassDef``, ``UnionDef``, ``EnumDef``, ``AliasDef``) in the
module of the component (or operation) they physically belong to. Nodes are memoized by identity,
so a property that reaches a class through ``allOf`` reuses the class of its home component.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from tools.codegen import naming
from tools.codegen.document import (
    ANNOTATIONS,
    Document,
    DocumentError,
    Schema,
    adds_nothing,
    is_null,
    ref_name,
    references,
    type_set,
)

# The typing (and ``openrouter_core._schema``) names a type expression may use.
TYPING_NAMES = frozenset({"Annotated", "Any", "Literal"})
SCHEMA_NAMES = frozenset(
    {"FileInput", "Format", "Ge", "Gt", "Le", "Lt", "MaxItems", "MaxLength", "MinItems", "MinLength", "Pattern"}
)
FORMATS = ("uuid", "date-time", "uri")


@dataclass(frozen=True)
class TypeRef:
    """The Python type of a schema node.

    ``ann`` is the model annotation (with constraint markers, without ``None``); ``dict_ann`` the
    form used in request ``TypedDict`` s (no markers, closed enums, ``...Dict`` for objects).
    ``names`` / ``dict_names`` are the model names each refers to (for imports); ``helpers`` the
    typing and marker names it uses.
    """

    ann: str
    dict_ann: str
    nullable: bool = False
    names: frozenset[str] = frozenset()
    dict_names: frozenset[str] = frozenset()
    helpers: frozenset[str] = frozenset()

    def with_nullable(self, nullable: bool) -> TypeRef:
        """This type, nullable when it was or when ``nullable`` says so."""
        return self if not nullable or self.nullable else replace(self, nullable=True)


ANY = TypeRef("Any", "Any", helpers=frozenset({"Any"}))
LITERAL = frozenset({"Literal"})
NAMED_ENUM_MIN_VALUES = 6  # an inline enum at least this long that repeats a component's values names it


def scalar(name: str) -> TypeRef:
    """``str``, ``int``, ``float``, ``bool``."""
    return TypeRef(name, name)


@dataclass
class Field:
    """One attribute of a class: a JSON property or a request parameter."""

    wire: str
    name: str
    type: TypeRef
    required: bool
    nullable: bool
    doc: str
    deprecated: bool = False
    dict_key: str = ""  # the TypedDict key: the wire name, or the field name for header parameters
    secret: bool = False  # never shown in a repr (credentials)

    def __post_init__(self) -> None:
        if not self.dict_key:
            self.dict_key = self.wire


@dataclass
class Definition:
    """Something a model module defines under a public name."""

    name: str
    module: str
    doc: str
    with_dict: bool
    where: str = field(default="", kw_only=True)


@dataclass
class ClassDef(Definition):
    """A frozen attrs class (an object schema, ``allOf`` merged flat)."""

    fields: list[Field] = field(default_factory=list)
    base: str | None = None
    kind: str = "object"  # "object", "request" (an operation's request), "security"
    stream_field: str | None = None  # a streaming operation's request: its dicts split on this key
    extra: str | None = None  # keys beyond the fields are allowed (additionalProperties): their type


@dataclass
class UnionDef(Definition):
    """A ``oneOf`` / ``anyOf``: ``OneOf`` at runtime, a plain union for type checkers."""

    members: list[TypeRef] = field(default_factory=list)
    discriminator: str | None = None
    mapping: dict[str, str] | None = None
    nullable: bool = False


@dataclass
class EnumDef(Definition):
    """A component enum: a ``Literal`` alias (open when it has several values), or an enum class."""

    values: list[Any] = field(default_factory=list)
    nullable: bool = False
    varnames: list[str] | None = None


@dataclass
class AliasDef(Definition):
    """Any other component (array, map, scalar): a type alias, expanded where it is used."""

    type: TypeRef = ANY


def clean_text(text: Any) -> str:
    """A description as one line of plain text."""
    return " ".join(str(text or "").split())


def literal_values(values: list[Any]) -> str:
    """``["a", "b"]`` -> ``Literal['a', 'b']`` (the formatter normalizes the quotes)."""
    return "Literal[" + ", ".join(repr(value) for value in values) + "]"


def enum_type(values: list[Any], where: str) -> TypeRef:
    """A single value is a closed ``Literal``; several are open (``| str`` / ``| int``)."""
    if all(isinstance(value, str) for value in values):
        base = "str"
    elif all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        base = "int"
    else:
        raise DocumentError(f"{where}: enum values of mixed or unsupported types: {values!r}")
    literal = literal_values(values)
    helpers = frozenset({"Literal"})
    if len(values) == 1:
        return TypeRef(literal, literal, helpers=helpers)
    return TypeRef(f"{literal} | {base}", literal, helpers=helpers)


def number_text(value: Any) -> str:
    """A bound as Python source."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DocumentError(f"a numeric bound that is not a number: {value!r}")
    return repr(value)


def markers(schema: Schema, kind: str) -> list[str]:
    """The ``Annotated`` constraint markers of a string, number or array schema."""
    if kind == "string":
        return string_markers(schema)
    if kind in ("integer", "number"):
        return number_markers(schema)
    if kind == "array":
        return array_markers(schema)
    return []


def string_markers(schema: Schema) -> list[str]:
    """``MinLength``, ``MaxLength``, ``Pattern``, ``Format``."""
    found: list[str] = []
    if "minLength" in schema:
        found.append(f"MinLength({int(schema['minLength'])})")
    if "maxLength" in schema:
        found.append(f"MaxLength({int(schema['maxLength'])})")
    if "pattern" in schema:
        found.append(f"Pattern({schema['pattern']!r})")
    if schema.get("format") in FORMATS:
        found.append(f"Format({schema['format']!r})")
    return found


def number_markers(schema: Schema) -> list[str]:
    """``Ge`` / ``Gt`` and ``Le`` / ``Lt``.

    OpenAPI 3.0 spelled an exclusive bound as ``minimum: x`` + ``exclusiveMinimum: true``; the
    document uses that once (``VideoGenerationRequest.upscale_factor``): read it as ``Gt(x)``.
    """
    found: list[str] = []
    for bound, exclusive, inclusive_marker, exclusive_marker in (
        ("minimum", "exclusiveMinimum", "Ge", "Gt"),
        ("maximum", "exclusiveMaximum", "Le", "Lt"),
    ):
        flag = schema.get(exclusive)
        if flag is True and bound in schema:
            found.append(f"{exclusive_marker}({number_text(schema[bound])})")
            continue
        if bound in schema:
            found.append(f"{inclusive_marker}({number_text(schema[bound])})")
        if exclusive in schema and flag is not False:
            found.append(f"{exclusive_marker}({number_text(flag)})")
    return found


def array_markers(schema: Schema) -> list[str]:
    """``MinItems``, ``MaxItems``."""
    found: list[str] = []
    if "minItems" in schema:
        found.append(f"MinItems({int(schema['minItems'])})")
    if "maxItems" in schema:
        found.append(f"MaxItems({int(schema['maxItems'])})")
    return found


def annotated(base: TypeRef, found: list[str]) -> TypeRef:
    """``base`` with constraint markers on it."""
    if not found:
        return base
    helpers = base.helpers | {"Annotated"} | {marker.split("(", 1)[0] for marker in found}
    return replace(base, ann=f"Annotated[{base.ann}, {', '.join(found)}]", helpers=frozenset(helpers))


def is_string_enum(schema: Schema) -> bool:
    """``{type: string, enum: [...]}`` with string values only and nothing else that constrains."""
    if "enum" not in schema or "$ref" in schema:
        return False
    if set(schema) - ANNOTATIONS - {"enum", "type"}:
        return False
    return type_set(schema) in ([], ["string"]) and all(isinstance(value, str) for value in schema["enum"])


def description_of(schema: Schema) -> str:
    """The node's description, or that of an annotation-only ``allOf`` part (``title`` when no description)."""
    text = schema.get("description")
    if not text and isinstance(schema.get("allOf"), list):
        for part in schema["allOf"]:
            if isinstance(part, dict) and "$ref" not in part and adds_nothing(part) and part.get("description"):
                text = part["description"]
                break
    return clean_text(text or schema.get("title"))


def tag_of(member: Schema, discriminator: str | None, document: Document) -> str | None:
    """The single string value a union member carries in its discriminator (or ``type``) property.

    Looks at the member, then at its ``allOf`` parts (own parts first, then referenced components).
    """
    prop_name = discriminator or "type"
    parts = [member]
    if isinstance(member.get("allOf"), list):
        own = [part for part in member["allOf"] if "$ref" not in part]
        based = [document.component(part["$ref"])[1] for part in member["allOf"] if "$ref" in part]
        parts = own + based
    for part in parts:
        prop = (part.get("properties") or {}).get(prop_name)
        if isinstance(prop, dict):
            values = prop.get("enum")
            if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
                return values[0]
            if isinstance(prop.get("const"), str):
                return str(prop["const"])
    return None


def inline_enum(schema: Schema, where: str) -> TypeRef:
    """An inline ``enum`` (``null`` among the values makes it nullable)."""
    values = list(schema["enum"])
    nullable = "null" in type_set(schema) or None in values
    values = [value for value in values if value is not None]
    if not values:
        raise DocumentError(f"{where}: an enum with no value but null")
    return enum_type(values, where).with_nullable(nullable)


def kind_of(schema: Schema, where: str) -> str:
    """The one non-null JSON type of a node (``object`` / ``array`` when implied); ``""`` when it has none."""
    types = [kind for kind in type_set(schema) if kind != "null"]
    if len(types) > 1:
        raise DocumentError(f"{where}: several types {types} outside a oneOf/anyOf")
    if types:
        return types[0]
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return ""


SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def scalar_type(schema: Schema, kind: str, where: str) -> TypeRef:
    """A string, integer, number or boolean (``FileInput`` for ``format: binary``); ``Any`` for no type."""
    if not kind:
        return ANY
    if kind not in SCALARS:
        raise DocumentError(f"{where}: unsupported type {kind!r}")
    if kind == "string" and schema.get("x-openrouter-type") == "boolean":
        return scalar("bool")
    if kind == "string" and schema.get("format") == "binary":
        return TypeRef("FileInput", "FileInput", helpers=frozenset({"FileInput"}))
    return annotated(scalar(SCALARS[kind]), markers(schema, kind))


class Builder:
    """Turns schema nodes into ``TypeRef`` s and definitions, grouped by module."""

    def __init__(self, document: Document, request_components: set[str]) -> None:
        self.document = document
        self.request_components = request_components
        self.memo: dict[int, TypeRef] = {}
        self.components: dict[str, TypeRef] = {}
        self.building: list[str] = []
        self.modules: dict[str, list[Definition]] = {}
        self.definitions: dict[str, Definition] = {}
        self.component_modules: dict[str, str] = {}
        self._enum_components: dict[tuple[tuple[Any, ...], bool], str] | None = None
        # Keeps memoized nodes alive, so their ids are never reused by new objects.
        self._alive: list[Any] = []

    # --- bookkeeping ------------------------------------------------------------------------------

    def add(self, definition: Definition) -> None:
        """Register a definition; names are global (the runtime resolves them by name)."""
        for name in (definition.name, definition.name + "Dict"):
            if name in self.definitions or name + "Dict" in self.definitions:
                other = self.definitions.get(name) or self.definitions[name + "Dict"]
                raise DocumentError(
                    f"name collision: {definition.name} in {definition.module} and {other.name} in {other.module}"
                )
        self.definitions[definition.name] = definition
        self.modules.setdefault(definition.module, []).append(definition)

    def module_of(self, name: str) -> str:
        """The module defining a public name."""
        return self.definitions[name].module

    # --- components -------------------------------------------------------------------------------

    def component(self, name: str) -> TypeRef:
        """The type of a reference to component ``name`` (defining it on first use)."""
        if name in self.components:
            return self.components[name]
        if name in self.building:
            raise DocumentError(f"recursive schemas are not supported: {' -> '.join([*self.building, name])}")
        self.building.append(name)
        try:
            result = self._component(name)
        finally:
            self.building.pop()
        self.components[name] = result
        return result

    def _component(self, name: str) -> TypeRef:
        schema = self.document.schemas[name]
        module = naming.module(name)
        if module in ("ops", "_index") or module in self.component_modules.values():
            raise DocumentError(f"component {name} gives a module name already taken: {module}")
        self.component_modules[name] = module
        with_dict = name in self.request_components
        where = f"the ``{name}`` schema"
        core, nullable = self.strip_null(schema)
        doc = description_of(schema) or description_of(core)
        if schema.get("deprecated") is True:
            doc = ("Deprecated. " + doc).strip()
        values = self.enum_values(core)
        if values is not None:
            varnames = core.get("x-enum-varnames")
            if nullable is False and None in values:
                nullable = True
            values = [value for value in values if value is not None]
            definition = EnumDef(name, module, doc, with_dict, values=values, nullable=nullable, varnames=varnames)
            self.add(definition)
            if varnames is not None:
                if len(varnames) != len(values) or not all(str(v).isidentifier() for v in varnames):
                    raise DocumentError(f"{name}: x-enum-varnames must name every value with an identifier")
                base = enum_type(values, where)
                open_type = base.ann.rsplit(" | ", 1)[-1] if len(values) > 1 else base.ann
                return TypeRef(
                    f"{name} | {open_type}",
                    f"{name} | {base.dict_ann}",
                    nullable=nullable,
                    names=frozenset({name}),
                    dict_names=frozenset({name}),
                    helpers=base.helpers,
                )
            return TypeRef(
                name,
                name + "Dict",
                nullable=nullable,
                names=frozenset({name}),
                dict_names=frozenset({name + "Dict"}),
            )
        if "allOf" in core and not any(key in core for key in ("oneOf", "anyOf")):
            # A component built with allOf is its own class, even when its extension adds no
            # property: unions map tags to it by name, and ``isinstance`` must work with that name.
            result = self.define_class(core, name, module, with_dict, where).with_nullable(nullable)
            self.memo[id(core)] = self.memo[id(schema)] = result
            self._alive.extend((core, schema))
            return result
        result = self.expr(schema, name, module, with_dict, where)
        if name in self.definitions:  # a class or a union, named after the component
            return result
        self.add(AliasDef(name, module, doc, with_dict, type=result))
        return result

    def strip_null(self, schema: Schema) -> tuple[Schema, bool]:
        """``anyOf: [X, {type: null}]`` -> ``(X, True)``; type arrays and enums are handled by ``expr``."""
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list) and "discriminator" not in schema:
                rest = [member for member in members if not is_null(member)]
                if len(rest) == 1 and len(rest) != len(members):
                    return rest[0], True
        nullable = "null" in type_set(schema) or None in (schema.get("enum") or [])
        return schema, nullable

    def enum_values(self, schema: Schema) -> list[Any] | None:
        """The values of an enum schema, or of a union made only of string enums; else ``None``."""
        if (
            "enum" in schema
            and "$ref" not in schema
            and not (set(schema) - ANNOTATIONS - {"enum", "type", "x-enum-varnames"})
        ):
            return list(schema["enum"])
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list) and "discriminator" not in schema:
                rest = [member for member in members if not is_null(member)]
                if rest and all(is_string_enum(member) for member in rest):
                    values: list[Any] = []
                    for member in rest:
                        values.extend(value for value in member["enum"] if value not in values)
                    return values
        return None

    def named_enum(self, schema: Schema) -> TypeRef | None:
        """The component enum whose values an inline ``enum`` repeats exactly, if there is one.

        The document often writes a component's values out again in place (``ReasoningEffort``
        five times, ``BYOKProviderSlug`` in a query parameter); naming the component instead keeps
        the list in one module. Short lists are left inline (two fields that both allow
        ``["low", "high"]`` need not mean the same thing), and so are enums with member names.
        """
        values = tuple(value for value in schema["enum"] if value is not None)
        if len(values) < NAMED_ENUM_MIN_VALUES:
            return None
        nullable = "null" in type_set(schema) or None in schema["enum"]
        # A nullable component's alias takes None itself: it cannot stand for a non-nullable field.
        components = self.enum_components()
        name = components.get((values, False)) or (components.get((values, True)) if nullable else None)
        if name is None or name in self.building:
            return None
        return self.component(name).with_nullable(nullable)

    def enum_components(self) -> dict[tuple[tuple[Any, ...], bool], str]:
        """Each component enum without member names, by its values and whether it takes null."""
        if self._enum_components is None:
            self._enum_components = {}
            for name, schema in self.document.schemas.items():
                core, nullable = self.strip_null(schema)
                values = self.enum_values(core)
                if values is not None and "x-enum-varnames" not in core:
                    key = tuple(value for value in values if value is not None)
                    nullable = nullable or None in values
                    self._enum_components.setdefault((key, nullable), name)  # the first such component wins
        return self._enum_components

    # --- any node ---------------------------------------------------------------------------------

    def expr(self, schema: Any, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        """The type of a schema node; defines a class or union named ``hint`` when the node needs one."""
        if not isinstance(schema, dict):
            raise DocumentError(f"{where}: a schema must be a mapping, got {schema!r}")
        key = id(schema)
        if key in self.memo:
            return self.memo[key]
        result = self._expr(schema, hint, module, with_dict, where)
        self.memo[key] = result
        self._alive.append(schema)
        return result

    def _expr(self, schema: Schema, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        if "$ref" in schema:
            siblings = set(schema) - ANNOTATIONS - {"$ref"}
            if siblings:
                raise DocumentError(f"{where}: $ref with sibling keywords {sorted(siblings)}")
            return self.component(ref_name(schema["$ref"]))
        union_key = next((key for key in ("oneOf", "anyOf") if key in schema), None)
        if "allOf" in schema:
            made = self.all_of(schema, hint, module, with_dict, where)
        elif union_key is not None:
            made = self.union(schema, union_key, hint, module, with_dict, where)
        elif "enum" in schema:
            made = self.named_enum(schema) or inline_enum(schema, where)
        elif "const" in schema:
            made = TypeRef(literal_values([schema["const"]]), literal_values([schema["const"]]), helpers=LITERAL)
        else:
            kind = kind_of(schema, where)
            if kind == "array":
                made = self.array(schema, hint, module, with_dict, where)
            elif kind == "object":
                made = self.object(schema, hint, module, with_dict, where)
            else:
                made = scalar_type(schema, kind, where)
        return made.with_nullable("null" in type_set(schema))

    def all_of(self, schema: Schema, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        """An inline ``allOf``: its one meaningful part, else a class of all parts merged."""
        parts = [part for part in schema["allOf"] if not adds_nothing(part)]
        own = set(schema) - ANNOTATIONS - {"allOf", "type"}
        if len(parts) == 1 and not own:
            return self.expr(parts[0], hint, module, with_dict, where)
        made = self.define_class(schema, hint, module, with_dict, where)
        # null fits an allOf when it fits every part (a part without a type, such as {required: [...]}, takes it)
        return made.with_nullable(all(self.allows_null(part) for part in schema["allOf"]))

    def allows_null(self, part: Schema) -> bool:
        """Whether ``null`` is valid against one ``allOf`` part."""
        if "$ref" in part:
            return self.component(ref_name(part["$ref"])).nullable
        if "type" in part:
            return "null" in type_set(part)
        return not any(key in part for key in ("enum", "const", "oneOf", "anyOf", "allOf"))

    def array(self, schema: Schema, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        """``list[T]`` (items named ``<hint>Item``), with the array's markers."""
        items = schema.get("items")
        item = ANY if not items else self.expr(items, hint + "Item", module, with_dict, f"the items of {where}")
        if item.nullable:
            item = replace(item, ann=item.ann + " | None", dict_ann=item.dict_ann + " | None", nullable=False)
        base = replace(item, ann=f"list[{item.ann}]", dict_ann=f"list[{item.dict_ann}]", nullable=False)
        return annotated(base, markers(schema, "array"))

    def object(self, schema: Schema, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        """A class (with properties), a typed map ``dict[str, T]``, or a free-form ``dict[str, Any]``."""
        if schema.get("properties"):
            return self.define_class(schema, hint, module, with_dict, where)
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict) or not extra:
            return TypeRef("dict[str, Any]", "dict[str, Any]", helpers=frozenset({"Any"}))
        value = self.expr(extra, hint + "Value", module, with_dict, f"the values of {where}")
        if value.nullable:
            value = replace(value, ann=value.ann + " | None", dict_ann=value.dict_ann + " | None", nullable=False)
        return replace(value, ann=f"dict[str, {value.ann}]", dict_ann=f"dict[str, {value.dict_ann}]")

    # --- objects ----------------------------------------------------------------------------------

    def collect(self, schema: Schema, where: str) -> tuple[dict[str, Schema], set[str], list[str]]:
        """Properties (in order of first appearance; later parts override), required names, descriptions."""
        props: dict[str, Schema] = {}
        required: set[str] = set()
        docs: list[str] = []
        if "$ref" in schema:
            name = ref_name(schema["$ref"])
            self.component(name)  # define the base first: its inline classes live in its module
            target = self.document.schemas[name]
            core, _ = self.strip_null(target)
            if any(key in core for key in ("oneOf", "anyOf", "enum")) or "object" not in (type_set(core) or ["object"]):
                raise DocumentError(f"{where}: allOf extends {name}, which is not an object")
            return self.collect(core, where)
        if schema.get("description"):
            docs.append(clean_text(schema["description"]))
        for part in schema.get("allOf") or ():
            if adds_nothing(part):
                if part.get("description"):
                    docs.append(clean_text(part["description"]))
                continue
            if any(key in part for key in ("oneOf", "anyOf")):
                raise DocumentError(f"{where}: allOf with a oneOf/anyOf part cannot be merged into one class")
            part_props, part_required, part_docs = self.collect(part, where)
            props.update(part_props)
            required |= part_required
            docs.extend(part_docs)
        props.update(schema.get("properties") or {})
        required |= set(schema.get("required") or ())
        return props, required, docs

    def define_class(self, schema: Schema, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        """A class for an object (``allOf`` merged flat: properties of every part, required = union)."""
        definition = ClassDef(hint, module, "", with_dict, where=where)
        self.add(definition)
        props, required, docs = self.collect(schema, where)
        missing = required - set(props)
        if missing and "additionalProperties" not in schema:
            # ``required`` naming a property no part declares: keep it out (nothing to type it with).
            required -= missing
        definition.doc = docs[0] if docs else ""
        if schema.get("deprecated") is True:
            definition.doc = ("Deprecated. " + definition.doc).strip()
        definition.fields = self.fields(props, required, hint, module, with_dict)
        definition.extra = self.extra_keys(schema, hint, module, where)
        return TypeRef(hint, hint + "Dict", names=frozenset({hint}), dict_names=frozenset({hint + "Dict"}))

    def extra_keys(self, schema: Schema, hint: str, module: str, where: str) -> str | None:
        """The type of the keys an object allows beyond its properties; ``None`` when it allows none.

        ``additionalProperties`` on the object or on one of its ``allOf`` parts: ``{}`` or ``true``
        allow anything (``Any``); a schema types the values; absent or ``false`` closes the object
        (an unknown key in a request is then a typo, reported before sending).
        """
        found: Any = None
        for item in [schema, *(schema.get("allOf") or ())]:
            part = self.strip_null(self.document.schemas[ref_name(item["$ref"])])[0] if "$ref" in item else item
            extra = part.get("additionalProperties")
            if extra is not None and extra is not False:
                found = extra
        if found is None:
            return None
        if found is True or found == {}:
            return "Any"
        value = self.expr(found, hint + "Extra", module, False, f"the other values of {where}")
        return value.ann + (" | None" if value.nullable else "")

    def fields(
        self, props: dict[str, Schema], required: set[str], parent: str, module: str, with_dict: bool
    ) -> list[Field]:
        """Fields of a class: required ones first, each group in document order."""
        made: list[Field] = []
        for wire, schema in props.items():
            where = f"``{wire}`` of ``{parent}``"
            kind = self.expr(schema, parent + naming.pascal(wire), module, with_dict, where)
            if kind.ann == "Any":  # any JSON value, null among them: null is sent, not taken for absent
                kind = kind.with_nullable(True)
            doc = description_of(schema) if isinstance(schema, dict) else ""
            deprecated = isinstance(schema, dict) and schema.get("deprecated") is True
            made.append(
                Field(wire, naming.attribute(wire), kind, wire in required, kind.nullable, doc, deprecated=deprecated)
            )
        seen: dict[str, str] = {}
        for made_field in made:
            if made_field.name in seen:
                raise DocumentError(f"{parent}: {made_field.wire!r} and {seen[made_field.name]!r} share a Python name")
            seen[made_field.name] = made_field.wire
        return [f for f in made if f.required] + [f for f in made if not f.required]

    # --- unions -----------------------------------------------------------------------------------

    def union(self, schema: Schema, key: str, hint: str, module: str, with_dict: bool, where: str) -> TypeRef:
        """``oneOf`` / ``anyOf``: null members make it nullable; one member left is that member."""
        members: list[Schema] = schema[key]
        rest = [(index, member) for index, member in enumerate(members) if not is_null(member)]
        nullable = len(rest) != len(members)
        discriminator = schema.get("discriminator")
        if not rest:
            raise DocumentError(f"{where}: a union of null only")
        if len(rest) == 1 and discriminator is None:
            return self.expr(rest[0][1], hint, module, with_dict, where).with_nullable(nullable)
        if all(is_string_enum(member) for _, member in rest):
            values: list[Any] = []
            for _, member in rest:
                values.extend(value for value in member["enum"] if value not in values)
            return enum_type(values, where).with_nullable(nullable)
        definition = UnionDef(hint, module, description_of(schema), with_dict, nullable=nullable, where=where)
        self.add(definition)
        prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        members_refs = self.union_members(rest, hint, module, with_dict, where, prop)
        definition.nullable = definition.nullable or any(ref.nullable for ref in members_refs)
        definition.members = [replace(ref, nullable=False) for ref in members_refs]
        if discriminator is not None:
            definition.discriminator = prop
            definition.mapping = self.union_mapping(definition, discriminator, where)
        return TypeRef(
            hint, hint + "Dict", nullable=nullable, names=frozenset({hint}), dict_names=frozenset({hint + "Dict"})
        )

    def union_members(
        self, rest: list[tuple[int, Schema]], hint: str, module: str, with_dict: bool, where: str, prop: str | None
    ) -> list[TypeRef]:
        """The members' types; string-enum members merged into one ``Literal`` at the first one's position."""
        taken: set[str] = set()
        enum_values: list[Any] = []
        enum_slot: int | None = None
        refs: list[TypeRef | None] = []
        for index, member in rest:
            if is_string_enum(member):
                enum_values.extend(value for value in member["enum"] if value not in enum_values)
                if enum_slot is None:
                    enum_slot = len(refs)
                    refs.append(None)
                continue
            name = self.member_hint(hint, member, index, prop, taken)
            refs.append(self.expr(member, name, module, with_dict, f"member {index + 1} of {where}"))
        if enum_slot is not None:
            refs[enum_slot] = enum_type(enum_values, where)
        return [ref for ref in refs if ref is not None]

    def union_mapping(self, definition: UnionDef, discriminator: Any, where: str) -> dict[str, str]:
        """The discriminator's mapping, tag -> member class name (each target must be a member)."""
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if not definition.discriminator or not isinstance(mapping, dict) or not mapping:
            raise DocumentError(f"{where}: a discriminator without propertyName and mapping")
        found: dict[str, str] = {}
        member_names = {ref.ann for ref in definition.members}
        for tag, target in mapping.items():
            target_ref = self.component(ref_name(target))
            if target_ref.ann not in member_names:
                raise DocumentError(f"{where}: the mapping of {tag!r} names {target}, which is not a member")
            found[str(tag)] = target_ref.ann
        return found

    def member_hint(self, union: str, member: Schema, index: int, prop: str | None, taken: set[str]) -> str:
        """The name of an inline union member: ``<Union><PascalTag>``, else ``<Union>Member<n>``.

        An array member passes ``<Union>`` so its items become ``<Union>Item``.
        """
        if "$ref" in member:
            return union + f"Member{index + 1}"
        if "array" in type_set(member) or ("items" in member and not type_set(member)):
            name = union
        else:
            tag = tag_of(member, prop, self.document)
            name = union + naming.pascal(tag) if tag and naming.pascal(tag) else union + f"Member{index + 1}"
        if name in taken:
            name = union + f"Member{index + 1}"
        taken.add(name)
        return name


def request_components(document: Document) -> set[str]:
    """Components reachable from any request (parameters and bodies, any media type), transitively."""
    roots: set[str] = set()
    for _method, _path, operation, item in document.operations():
        for parameter in [*(item.get("parameters") or ()), *(operation.get("parameters") or ())]:
            roots.update(references(document.parameter(parameter)))
        body = operation.get("requestBody")
        if body:
            roots.update(references(body))
    seen: set[str] = set()
    stack = sorted(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(sorted(set(references(document.schemas[name])) - seen))
    return seen
