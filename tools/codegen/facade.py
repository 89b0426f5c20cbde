"""The facade: ``openrouter/_resources/<namespace>.py`` (one class per namespace) and ``openrouter/_client.py``.

Each method is one line: call the operation's function, unwrap the ``Result``. Namespaces are
created on first access of ``client.<namespace>``; a namespace module imports its operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.codegen import naming, text
from tools.codegen.functions import response_type, signature, stream_type
from tools.codegen.operations import Op


@dataclass
class Helper:
    """A facade method that calls a hand-written function (no HTTP, or an alias)."""

    namespace: str
    method: str
    function: str
    module: str
    params: str
    args: str
    returns: str
    doc: str
    imports: dict[str, set[str]] = field(default_factory=dict)
    is_async: bool = True


@dataclass
class Namespace:
    """One facade namespace: ``client.<name>``."""

    name: str
    cls: str
    description: str
    ops: list[Op] = field(default_factory=list)
    helpers: list[Helper] = field(default_factory=list)


def group(ops: list[Op], helpers: list[Helper], tag_descriptions: dict[str, str]) -> dict[str, Namespace]:
    """Namespaces by Python name, with their operations in facade-method order."""
    spaces: dict[str, Namespace] = {}
    for op in ops:
        space = spaces.get(op.namespace)
        if space is None:
            description = tag_descriptions.get(op.tag, "")
            space = spaces[op.namespace] = Namespace(
                op.namespace, naming.namespace_class(op.namespace_words), description
            )
        space.ops.append(op)
    for helper in helpers:
        spaces[helper.namespace].helpers.append(helper)
    for space in spaces.values():
        space.ops.sort(key=lambda op: op.facade_method)
        names = [op.facade_method for op in space.ops] + [h.method for h in space.helpers]
        names += [f"{op.facade_method}_pages" for op in space.ops if op.pages]
        if len(names) != len(set(names)):
            raise ValueError(f"namespace {space.name}: two methods share a name: {sorted(names)}")
    return dict(sorted(spaces.items()))


def method_doc(op: Op, note: str = "", function: str | None = None) -> list[str]:
    """The one-line docstring of a facade method (8 spaces in)."""
    head = text.summary(op.summary or op.description, f"``{op.method} {op.path}``.", 70)
    if note:
        head = f"{head.rstrip('.')}{note}."
    doc = f"{head} See ``{function or op.function}``; raises its ``Err``."
    if op.deprecated:
        doc = f"Deprecated. {doc}"
    return text.docstring(8, text.shorten(doc, text.LINE_LENGTH - 14))


def method_lines(op: Op) -> list[str]:
    """The methods of one operation: sync and async (and the page iterators of a paginated one)."""
    if op.stream:
        lines = stream_method_lines(op, op.facade_method, op.function)
    elif op.download:
        lines = download_method_lines(op)
    else:
        lines = json_method_lines(op, op.facade_method, op.function)
    return lines + page_method_lines(op) if op.pages else lines


def json_method_lines(op: Op, method: str, function: str, doc: list[str] | None = None) -> list[str]:
    """``<method>`` returns the value (``Result.unwrap()``); ``<method>_async`` awaits it."""
    params, args = signature(op, method=True)
    value = response_type(op)
    lines = ["", f"    def {method}({params}) -> {value}:", *(doc or method_doc(op))]
    lines += [f"        return {function}({args}).unwrap()"]
    lines += ["", f"    async def {method}_async({params}) -> {value}:"]
    lines += [f'        """The async twin of ``{method}``."""']
    lines += [f"        return (await {function}_async({args})).unwrap()"]
    return lines


def stream_overloads(op: Op, method: str, *, is_async: bool) -> list[str]:
    """A streaming dict gives a ``RaisingStream``, a plain dict the result, a model instance either."""
    assert op.request is not None
    value = response_type(op)
    stream = ("AsyncRaisingStream" if is_async else "RaisingStream") + stream_type(op).removeprefix("Stream")
    name = method + ("_async" if is_async else "")
    define = "async def" if is_async else "def"
    request = op.request.name
    lines = []
    for form, returns, optional in (
        (f"{request}StreamingDict", stream, False),
        (f"{request}Dict", value, not op.request_required),
        (request, f"{value} | {stream}", False),
    ):
        params, _ = signature(op, method=True, request_type=form)
        if not optional and not op.request_required:
            params = params.replace(f"request: {form} | None = None", f"request: {form}")
        lines += ["", "    @overload", f"    {define} {name}({params}) -> {returns}: ..."]
    return lines


def stream_method_lines(op: Op, method: str, function: str, doc: list[str] | None = None) -> list[str]:
    """Overloaded methods: the stream is a ``RaisingStream`` (``AsyncRaisingStream``), raising from the loop.

    The implementations return ``Any``: only the overloads are seen by callers, and ``unwrap`` of a
    ``Result`` whose value may be a stream or the result cannot be typed closer than their union.
    """
    assert op.request is not None
    assert op.stream is not None
    request = op.request.name
    params, args = signature(op, method=True, request_type=f"{request} | {request}Dict | {request}StreamingDict")
    note = f' (a stream with ``"{op.stream.field}": True``)'
    lines = stream_overloads(op, method, is_async=False)
    lines += ["", f"    def {method}({params}) -> Any:", *(doc or method_doc(op, note, function))]
    lines += [f"        return unwrap({function}({args}))"]
    lines += stream_overloads(op, method, is_async=True)
    lines += ["", f"    async def {method}_async({params}) -> Any:"]
    lines += [f'        """The async twin of ``{method}``: a stream is an ``AsyncRaisingStream``."""']
    lines += [f"        return unwrap(await {function}_async({args}))"]
    return lines


def download_method_lines(op: Op) -> list[str]:
    """The body as a ``RaisingBinaryResponse`` (``AsyncRaisingBinaryResponse``)."""
    params, args = signature(op, method=True)
    note = ": the unread body"
    lines = ["", f"    def {op.facade_method}({params}) -> RaisingBinaryResponse:", *method_doc(op, note)]
    lines += [f"        return unwrap({op.function}({args}))"]
    lines += ["", f"    async def {op.facade_method}_async({params}) -> AsyncRaisingBinaryResponse:"]
    lines += [f'        """The async twin of ``{op.facade_method}``: the body is an ``AsyncRaisingBinaryResponse``."""']
    lines += [f"        return unwrap(await {op.function}_async({args}))"]
    return lines


def page_method_lines(op: Op) -> list[str]:
    """``<method>_pages`` / ``<method>_pages_async``: each page's value, raising the first error."""
    params, args = signature(op, method=True)
    value = response_type(op)
    name = f"{op.facade_method}_pages"
    doc = f"Every page of ``{op.facade_method}``, one value each; raises the first error."
    more = ["", f"See ``{op.function}_pages``."]
    lines = ["", f"    def {name}({params}) -> Iterator[{value}]:", *text.docstring(8, doc, more)]
    lines += [f"        return unwrap_pages({op.function}_pages({args}))"]
    lines += ["", f"    def {name}_async({params}) -> AsyncIterator[{value}]:"]
    lines += [f'        """The async twin of ``{name}``: an async iterator (``async for``)."""']
    lines += [f"        return unwrap_pages_async({op.function}_pages_async({args}))"]
    return lines


def helper_lines(helper: Helper) -> list[str]:
    """The method(s) of a hand-written function."""
    lines = ["", f"    def {helper.method}({helper.params}) -> {helper.returns}:"]
    lines += text.docstring(8, helper.doc)
    lines += [f"        return {helper.function}({helper.args}).unwrap()"]
    if helper.is_async:
        lines += ["", f"    async def {helper.method}_async({helper.params}) -> {helper.returns}:"]
        lines += [f'        """The async twin of ``{helper.method}``."""']
        lines += [f"        return (await {helper.function}_async({helper.args})).unwrap()"]
    return lines


class Imports:
    """The imports of a facade module: functions at runtime, types under ``TYPE_CHECKING``."""

    def __init__(self) -> None:
        self.runtime: dict[str, set[str]] = {}
        self.checking: dict[str, set[str]] = {"openrouter_core": {"OpenRouterCore", "RequestOptions"}}
        self.typing: set[str] = {"TYPE_CHECKING"}
        self.abc: set[str] = set()
        self.helpers: set[str] = set()  # from openrouter_core._operation

    def add_op(self, op: Op, function: str) -> None:
        """What the methods of ``op`` (calling ``function``) need."""
        assert op.request is not None
        self.runtime.setdefault(f"openrouter_funcs.{function}", set()).update({function, f"{function}_async"})
        names = {op.request.name, f"{op.request.name}Dict"}
        if op.security_class:
            names.add(op.security_class)
            self.abc.add("Mapping")
        self.checking.setdefault(f"openrouter_funcs.models.{op.module}", set()).update(names)
        refs = [answer.model for answer in op.declared if answer.model]
        if op.stream:
            assert op.stream.event_model is not None
            refs.append(op.stream.event_model)
            self.checking[f"openrouter_funcs.models.{op.module}"].add(f"{op.request.name}StreamingDict")
            self.typing |= {"Any", "overload"}
            self.helpers.add("unwrap")
            self.checking["openrouter_core"] |= {"AsyncRaisingStream", "RaisingStream"}
        if op.download:
            self.helpers.add("unwrap")
            self.checking["openrouter_core"] |= {"AsyncRaisingBinaryResponse", "RaisingBinaryResponse"}
        if op.pages:
            self.runtime[f"openrouter_funcs.{function}"] |= {f"{function}_pages", f"{function}_pages_async"}
            self.helpers |= {"unwrap_pages", "unwrap_pages_async"}
            self.abc |= {"AsyncIterator", "Iterator"}
        for ref in refs:
            module, name = ref.split(":")
            self.checking.setdefault(f"openrouter_funcs.models.{module}", set()).add(name)

    def add_helper(self, helper: Helper) -> None:
        """What the method of a hand-written function needs."""
        names = {helper.function, f"{helper.function}_async"} if helper.is_async else {helper.function}
        self.runtime.setdefault(helper.module, set()).update(names)
        for module, imported in helper.imports.items():
            self.checking.setdefault(module, set()).update(imported)

    def lines(self) -> list[str]:
        """The import statements (ruff's isort pass orders the names)."""
        lines = [f"from typing import {', '.join(sorted(self.typing))}", ""]
        if self.helpers:
            lines.append(f"from openrouter_core._operation import {', '.join(sorted(self.helpers))}")
        lines += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(self.runtime.items())]
        lines += ["", "if TYPE_CHECKING:"]
        if self.abc:
            lines += [f"    from collections.abc import {', '.join(sorted(self.abc))}", ""]
        lines += [
            f"    from {module} import {', '.join(sorted(names))}" for module, names in sorted(self.checking.items())
        ]
        return lines


def render_namespace(space: Namespace) -> str:
    """The source of ``openrouter/_resources/<namespace>.py``."""
    imports = Imports()
    for op in space.ops:
        imports.add_op(op, op.function)
    for helper in space.helpers:
        imports.add_helper(helper)
    description = text.plain(space.description) or f"The {space.name} operations."
    head = f"``client.{space.name}``: " + text.summary(description, "", text.LINE_LENGTH - 30)
    lines = [text.HEADER, *text.docstring(0, head), "", "from __future__ import annotations", ""]
    lines += imports.lines()
    lines += ["", f"__all__ = [{space.cls!r}]", "", ""]
    lines += [f"class {space.cls}:"]
    summary = text.summary(description, "", text.LINE_LENGTH - 10)
    lines += text.docstring(
        4, summary, ["", "Each method returns the operation's value, or raises the error its function returned."]
    )
    lines += ["", '    __slots__ = ("_core",)', ""]
    lines += ["    def __init__(self, core: OpenRouterCore) -> None:", "        self._core = core"]
    for op in space.ops:
        lines += method_lines(op)
    for helper in space.helpers:
        lines += helper_lines(helper)
    return "\n".join(lines) + "\n"


BETA_HEAD = [
    text.HEADER,
    '"""``client.beta``: deprecated names kept for code written against the beta APIs."""',
    "",
    "from __future__ import annotations",
    "",
]
BETA_CLASS = [
    "",
    '__all__ = ["Beta", "BetaResponses"]',
    "",
    "",
    "class Beta:",
    '    """Deprecated beta namespaces: ``client.beta.responses`` is now ``client.responses``."""',
    "",
    '    __slots__ = ("_core", "_responses")',
    "",
    "    def __init__(self, core: OpenRouterCore) -> None:",
    "        self._core = core",
    "        self._responses: BetaResponses | None = None",
    "",
    "    @property",
    "    def responses(self) -> BetaResponses:",
    '        """Deprecated: use ``client.responses``."""',
    "        namespace = self._responses",
    "        if namespace is None:",
    "            namespace = self._responses = BetaResponses(self._core)",
    "        return namespace",
    "",
    "",
    "class BetaResponses:",
    '    """Deprecated: use ``client.responses`` (the Responses API is GA). Emits ``DeprecationWarning``."""',
    "",
    '    __slots__ = ("_core",)',
    "",
    "    def __init__(self, core: OpenRouterCore) -> None:",
    "        self._core = core",
]


def render_beta(send: Op) -> str:
    """``openrouter/_resources/beta.py``: the deprecated ``client.beta.responses`` namespace.

    ``send`` calls ``beta_responses_send``, the deprecated alias of ``responses_send`` (``send``'s operation).
    """
    imports = Imports()
    imports.add_op(send, "beta_responses_send")
    doc = text.docstring(
        8, "Deprecated: use ``client.responses.send``. See ``beta_responses_send``; raises its ``Err``."
    )
    if send.stream:
        methods = stream_method_lines(send, "send", "beta_responses_send", doc)
    else:
        methods = json_method_lines(send, "send", "beta_responses_send", doc)
    return "\n".join([*BETA_HEAD, *imports.lines(), *BETA_CLASS, *methods]) + "\n"


def render_client(spaces: dict[str, Namespace]) -> str:
    """``openrouter/_client.py``: ``OpenRouter``, a core with one lazily created property per namespace."""
    entries = [(name, space.cls, space.description) for name, space in spaces.items()]
    entries.append(("beta", "Beta", "Deprecated beta namespaces (``client.beta.responses``)."))
    entries.sort()
    lines = [
        text.HEADER,
        '"""``OpenRouter``: the client object. A core with lazily created resource namespaces."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING",
        "",
        "from openrouter_core import OpenRouterCore",
        "",
        "if TYPE_CHECKING:",
    ]
    lines += [f"    from openrouter._resources.{name} import {cls}" for name, cls, _ in entries]
    lines += ["", '__all__ = ["OpenRouter"]', "", ""]
    lines += [
        "class OpenRouter(OpenRouterCore):",
        '    """The OpenRouter client: ``OpenRouter(api_key=...).chat.send({...})``.',
        "",
        "    Takes exactly the options of ``OpenRouterCore`` (it is one, so standalone functions accept it",
        "    too). Methods return values and raise errors from ``openrouter_core``'s error tree. Each",
        "    namespace is created, and its operations imported, on first access. Use it as a context",
        "    manager (``with`` / ``async with``) to close the transport.",
        '    """',
        "",
    ]
    lines += [f"    _{name}: {cls} | None = None" for name, cls, _ in entries]
    for name, cls, description in entries:
        summary = text.summary(description, f"The {name} operations.", 70).rstrip(".")
        lines += [
            "",
            "    @property",
            f"    def {name}(self) -> {cls}:",
            f'        """{summary} (``client.{name}``), created on first access."""',
            f"        namespace = self._{name}",
            "        if namespace is None:",
            f"            from openrouter._resources.{name} import {cls}",
            "",
            f"            namespace = self._{name} = {cls}(self)",
            "        return namespace",
        ]
    return "\n".join(lines) + "\n"
