"""The facade: ``openrouter/_resources/<namespace>.py`` (one class per namespace) and ``openrouter/_client.py``.

Each method is one line: call the operation's function, unwrap the ``Result``. Namespaces are
created on first access of ``client.<namespace>``; a namespace module imports its operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.codegen import naming, text
from tools.codegen.operations import Op, response_type, signature


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
        if len(names) != len(set(names)):
            raise ValueError(f"namespace {space.name}: two methods share a name: {sorted(names)}")
    return dict(sorted(spaces.items()))


def method_lines(op: Op) -> list[str]:
    """The sync and async methods of one operation."""
    params, args = signature(op, method=True)
    value = response_type(op)
    head = text.summary(op.summary or op.description, f"``{op.method} {op.path}``.", 70)
    doc = f"{head} See ``{op.function}``; raises its ``Err``."
    if op.deprecated:
        doc = f"Deprecated. {doc}"
    lines = ["", f"    def {op.facade_method}({params}) -> {value}:"]
    lines += text.docstring(8, text.shorten(doc, text.LINE_LENGTH - 14))
    lines += [f"        return {op.function}({args}).unwrap()"]
    lines += ["", f"    async def {op.facade_method}_async({params}) -> {value}:"]
    lines += [f'        """The async twin of ``{op.facade_method}``."""']
    lines += [f"        return (await {op.function}_async({args})).unwrap()"]
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


def render_namespace(space: Namespace, extra_body: list[str] | None = None) -> str:
    """The source of ``openrouter/_resources/<namespace>.py``."""
    runtime: dict[str, set[str]] = {}
    checking: dict[str, set[str]] = {}
    needs_mapping = False
    for op in space.ops:
        runtime.setdefault(f"openrouter_funcs.{op.function}", set()).update({op.function, f"{op.function}_async"})
        assert op.request is not None
        names = {op.request.name, f"{op.request.name}Dict"}
        if op.security_class:
            names.add(op.security_class)
            needs_mapping = True
        checking.setdefault(f"openrouter_funcs.models.{op.module}", set()).update(names)
        for answer in op.declared:
            if answer.model:
                module, name = answer.model.split(":")
                checking.setdefault(f"openrouter_funcs.models.{module}", set()).add(name)
    for helper in space.helpers:
        names = {helper.function, f"{helper.function}_async"} if helper.is_async else {helper.function}
        runtime.setdefault(helper.module, set()).update(names)
        for module, imported in helper.imports.items():
            checking.setdefault(module, set()).update(imported)
    description = text.plain(space.description) or f"The {space.name} operations."
    head = f"``client.{space.name}``: " + text.summary(description, "", text.LINE_LENGTH - 30)
    lines = [text.HEADER, *text.docstring(0, head), "", "from __future__ import annotations", ""]
    lines += ["from typing import TYPE_CHECKING", ""]
    lines += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(runtime.items())]
    lines += ["", "if TYPE_CHECKING:"]
    if needs_mapping:
        lines += ["    from collections.abc import Mapping", ""]
    lines += ["    from openrouter_core import OpenRouterCore, RequestOptions"]
    lines += [f"    from {module} import {', '.join(sorted(names))}" for module, names in sorted(checking.items())]
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
    if extra_body:
        lines += extra_body
    return "\n".join(lines) + "\n"


def render_beta(response_type_name: str, request_name: str, response_module: str, request_module: str) -> str:
    """``openrouter/_resources/beta.py``: the deprecated ``client.beta.responses`` namespace."""
    return "\n".join(
        [
            text.HEADER,
            '"""``client.beta``: deprecated names kept for code written against the beta APIs."""',
            "",
            "from __future__ import annotations",
            "",
            "from typing import TYPE_CHECKING",
            "",
            "from openrouter_funcs.beta_responses_send import beta_responses_send, beta_responses_send_async",
            "",
            "if TYPE_CHECKING:",
            "    from openrouter_core import OpenRouterCore, RequestOptions",
            f"    from openrouter_funcs.models.{request_module} import {request_name}, {request_name}Dict",
            f"    from openrouter_funcs.models.{response_module} import {response_type_name}",
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
            "",
            "    def send(",
            f"        self, request: {request_name} | {request_name}Dict, options: RequestOptions | None = None",
            f"    ) -> {response_type_name}:",
            '        """Deprecated: use ``client.responses.send``. See ``beta_responses_send``; raises its ``Err``."""',
            "        return beta_responses_send(self._core, request, options).unwrap()",
            "",
            "    async def send_async(",
            f"        self, request: {request_name} | {request_name}Dict, options: RequestOptions | None = None",
            f"    ) -> {response_type_name}:",
            '        """The async twin of ``send``."""',
            "        return (await beta_responses_send_async(self._core, request, options)).unwrap()",
            "",
        ]
    )


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
