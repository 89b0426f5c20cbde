"""``openrouter_funcs/_registry.py``: every operation as strings, for the CLI and the fake server."""

from __future__ import annotations

from tools.codegen import text
from tools.codegen.operations import Op

HELPERS = {
    "oauth_create_authorization_url": "oauth.create_authorization_url",
    "oauth_create_sha256_code_challenge": "oauth.create_sha256_code_challenge",
}
ALIASES = {"beta_responses_send": ("createResponses", "beta.responses.send")}


def render(ops: list[Op]) -> str:
    """The registry module: ``OPERATIONS``, ``BY_FUNCTION`` and ``HELPERS``; it imports only ``typing``."""
    entries = []
    by_function = {}
    for op in sorted(ops, key=lambda op: op.id):
        facade = f"{op.namespace}.{op.facade_method}"
        values = (
            op.function,
            f"openrouter_funcs.{op.function}",
            op.method,
            op.path,
            op.tag,
            facade,
            op.streaming,
            op.paginated,
            op.management_key,
        )
        entries.append(f"    {op.id!r}: OperationInfo{values!r},")
        by_function[op.function] = op.id
    for function, (operation_id, _facade) in ALIASES.items():
        by_function[function] = operation_id
    lines = [
        text.HEADER,
        '"""Every operation that has a function, as strings: importing this imports nothing else.',
        "",
        "For tools that need the list of operations (the command line, the fake server) without loading",
        "them.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import NamedTuple",
        "",
        '__all__ = ["BY_FUNCTION", "HELPERS", "OPERATIONS", "OperationInfo"]',
        "",
        "",
        "class OperationInfo(NamedTuple):",
        '    """One operation.',
        "",
        "    Attributes:",
        "        function: the standalone function (``api_keys_list``); ``<function>_async`` is its twin.",
        "        module: the module that defines it (``openrouter_funcs.api_keys_list``).",
        "        method: the HTTP method.",
        "        path: the path template, relative to the server URL (``/keys/{hash}``).",
        "        tag: the document's tag (``API Keys``).",
        "        facade: the facade method, relative to the client (``api_keys.list``).",
        '        streaming: ``"stream": True`` in the request asks for server-sent events (its function',
        "            returns a stream then). Embeddings and rerank declare SSE but have no stream field: ``False``.",
        "        paginated: the document declares pagination for it: ``<function>_pages`` exists.",
        "        management_key: it needs a management key.",
        '    """',
        "",
        "    function: str",
        "    module: str",
        "    method: str",
        "    path: str",
        "    tag: str",
        "    facade: str",
        "    streaming: bool",
        "    paginated: bool",
        "    management_key: bool",
        "",
        "",
        "OPERATIONS: dict[str, OperationInfo] = {",
        *entries,
        "}",
        '"""operationId -> ``OperationInfo``."""',
        "",
        "BY_FUNCTION: dict[str, str] = {",
        *(f"    {function!r}: {operation_id!r}," for function, operation_id in sorted(by_function.items())),
        "}",
        '"""Function name -> operationId (``beta_responses_send`` is the deprecated alias of ``createResponses``)."""',
        "",
        "HELPERS: dict[str, str] = {",
        *(f"    {function!r}: {facade!r}," for function, facade in sorted(HELPERS.items())),
        "}",
        '"""Functions that make no HTTP call -> their facade method."""',
    ]
    return "\n".join(lines) + "\n"
