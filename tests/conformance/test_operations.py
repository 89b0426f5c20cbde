"""Every JSON operation, called through the SDK against Prism (a mock generated from the document).

For each JSON operation of ``openrouter_funcs._registry``, a valid request is built from the
document, not from the SDK: the parameters' and the body's examples where they fit their schemas,
else a minimal value generated from the schema (``tests/openapi_document.py``). Prism validates
every request, so "accepted" means it answered the documented success status with no request
violation (an invalid request gets the documented 400, or Prism's 422).

- The answer decodes: it is checked against the document's response schema (jsonschema) and the
  SDK must return ``Ok`` with the response model. Prism answers the document's static example;
  a handful of those examples violate their own schemas (a required field missing), and for those
  the test asks for a body generated from the schema (``Prefer: dynamic=true``; Prism runs with a
  fixed seed, so the body is the same every run). ``test_static_examples_that_break_the_document``
  keeps that list honest.
- Every operation is also called once in dynamic mode: generated bodies carry fields the SDK does
  not know (Prism adds them), which must be ignored.
- A documented error status, asked for with ``Prefer: code=NNN``, comes back as the typed error of
  that status; one status per operation, chosen so that every documented status is covered.
- A sample of operations runs through the ``_async`` twins.

The Coinbase charge: the published document keeps it as a stub (no request body, a 200 that "never
comes"), while the SDK follows ``openapi/overlay.yaml``; it is checked against a second Prism that
serves the patched document (``prism_patched_url``).

Not covered here, and why: SSE streams (Prism cannot serve them; the JSON form of each streaming
operation is covered), the binary downloads and multipart uploads (streamed bodies, whose size,
memory and retry rules are what matter: tests/integration and tests/testing move them through the
project's own servers on 127.0.0.1), and dynamic
answers for ``NO_DYNAMIC_ANSWER`` (Prism's generator crashes on them; their static answer is
checked, and tests/properties decodes random bodies of the same schemas).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, Ok, OpenRouterCore, RequestOptions
from openrouter_core._schema import OneOf
from openrouter_core._serde import resolve
from openrouter_funcs._registry import OPERATIONS, OperationInfo
from tests import openapi_document as doc

KEY = "sk-or-v1-conformance"
COINBASE = "createCoinbaseCharge"
# The documented error statuses and the class the SDK must answer each with.
STATUS_ERRORS: dict[int, type[orc.OpenRouterStatusError]] = {
    400: orc.BadRequestResponseError,
    401: orc.UnauthorizedResponseError,
    402: orc.PaymentRequiredResponseError,
    403: orc.ForbiddenResponseError,
    404: orc.NotFoundResponseError,
    408: orc.RequestTimeoutResponseError,
    409: orc.ConflictResponseError,
    410: orc.GoneResponseError,
    413: orc.PayloadTooLargeResponseError,
    422: orc.UnprocessableEntityResponseError,
    429: orc.TooManyRequestsResponseError,
    500: orc.InternalServerResponseError,
    502: orc.BadGatewayResponseError,
    503: orc.ServiceUnavailableResponseError,
    524: orc.EdgeNetworkTimeoutResponseError,
    529: orc.ProviderOverloadedResponseError,
}
# Operations whose static answer from Prism (the document's example) does not fit the document's
# own schema: what is wrong with it, and what the SDK makes of it (a discriminated union's example
# without its tag is an unknown variant, kept raw; a missing required field fails to decode).
# They are answered in dynamic mode instead.
STATIC_EXAMPLE_BREAKS_SCHEMA: dict[str, tuple[str, type]] = {
    "deleteFile": ("the example has no `_shape` tag", orc.RawVariant),
    "getFileMetadata": ("the example has no `_shape` tag", orc.RawVariant),
    "listFiles": ("the example has no `_shape` tag", orc.RawVariant),
    "getGeneration": ("data.workspace_id is required", orc.ResponseValidationError),
    "getModels": ("total_count and links are required", orc.ResponseValidationError),
    "listEmbeddingsModels": ("total_count and links are required", orc.ResponseValidationError),
    "listModelsUser": ("total_count and links are required", orc.ResponseValidationError),
    "listVideosModels": ("data[0].creativity, upscale_factor, ... are required", orc.ResponseValidationError),
}
ASYNC_SAMPLE = (
    "sendChatCompletionRequest",
    "createResponses",
    "createMessages",
    "list",
    "updateGuardrail",
    "listModelsUser",
    "getModels",
)

# Prism's dynamic generator (json-schema-faker) crashes on some of these schemas with some seeds.
NO_DYNAMIC_ANSWER = {
    "createResponses": "json-schema-faker fails on OpenResponsesResult (TypeError in shouldClean)",
}

SUCCESS_CASES = doc.json_operation_ids()
DYNAMIC_CASES = [op_id for op_id in SUCCESS_CASES if op_id not in NO_DYNAMIC_ANSWER]


def served_document(op_id: str) -> dict[str, Any]:
    """The document the Prism that answers ``op_id`` serves.

    The published document gives the Coinbase charge no request body and no 200 answer (the
    endpoint is gone); the SDK keeps the overlay's shapes, so that operation goes to the Prism
    that serves the patched document.
    """
    return doc.patched_document() if op_id == COINBASE else doc.document()


# --- requests built from the document ---------------------------------------------------------------


@attrs.frozen
class Case:
    """One operation, ready to call."""

    op_id: str
    info: OperationInfo
    module: Any
    request: dict[str, Any]
    success: dict[int, doc.Schema | None]  # documented success status -> its JSON schema
    errors: dict[int, doc.Schema | None]  # documented error status -> its JSON schema

    def call(self, core: OpenRouterCore, prefer: str | None = None) -> Ok[Any] | Err[orc.OpenRouterSDKError]:
        function = getattr(self.module, self.info.function)
        options = RequestOptions(headers={"Prefer": prefer}) if prefer else None
        if self.module.OPERATION.security == "bearer":
            return function(core, {"bearer": KEY}, self.request, options)  # type: ignore[no-any-return]
        if self.module.OPERATION.security == "bearer_or_api_key":
            return function(core, None, self.request, options)  # type: ignore[no-any-return]
        return function(core, self.request, options)  # type: ignore[no-any-return]

    async def call_async(self, core: OpenRouterCore, prefer: str | None = None) -> Any:
        function = getattr(self.module, self.info.function + "_async")
        options = RequestOptions(headers={"Prefer": prefer}) if prefer else None
        if self.module.OPERATION.security == "bearer":
            return await function(core, {"bearer": KEY}, self.request, options)
        return await function(core, self.request, options)


def _example_or_minimal(schema: doc.Schema, examples: list[Any]) -> Any:
    """The first example that fits ``schema``, else a minimal value of it."""
    document = doc.patched_document()
    for example in examples:
        if not doc.problems(document, schema, example):
            return example
    return doc.minimal(document, schema)


def _responses(spec: dict[str, Any], *, success: bool) -> dict[int, doc.Schema | None]:
    return {
        int(status): doc.json_body_schema(answer.get("content"))
        for status, answer in spec["responses"].items()
        if status.isdigit() and (status.startswith("2") == success)
    }


def build_case(op_id: str) -> Case:
    """The operation's valid request, from the document the SDK was generated from (with the overlay)."""
    info = OPERATIONS[op_id]
    module = importlib.import_module(info.module)
    operation = doc.operation(doc.patched_document(), info.method, info.path)
    header_fields = {header.lower(): field for field, header in module.OPERATION.headers}
    request: dict[str, Any] = {}
    for parameter in operation.parameters:
        if not parameter.get("required"):
            continue
        schema = parameter.get("schema") or {}
        examples = [parameter["example"]] if "example" in parameter else []
        name = parameter["name"]
        if parameter["in"] == "header":
            name = header_fields[name.lower()]
        request[name] = _example_or_minimal(schema, examples)
    content = (operation.spec.get("requestBody") or {}).get("content")
    body_schema = doc.json_body_schema(content)
    if body_schema is not None:
        body = _example_or_minimal(body_schema, doc.media_examples(content))
        request.update(body)
    # Answers are checked against the document the Prism that answers them serves.
    served = doc.operation(served_document(op_id), info.method, info.path).spec
    return Case(op_id, info, module, request, _responses(served, success=True), _responses(served, success=False))


_CASES: dict[str, Case] = {}


def case(op_id: str) -> Case:
    if op_id not in _CASES:
        _CASES[op_id] = build_case(op_id)
    return _CASES[op_id]


# --- fixtures and checks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def main_core(prism_url: str) -> Iterator[OpenRouterCore]:
    # No retries: a 429 or a 5xx asked for with Prefer must come back at once, not be retried.
    with OpenRouterCore(api_key=KEY, server_url=prism_url, retry_config=None) as made:
        yield made


@pytest.fixture(scope="module")
def patched_core(prism_patched_url: str) -> Iterator[OpenRouterCore]:
    with OpenRouterCore(api_key=KEY, server_url=prism_patched_url, retry_config=None) as made:
        yield made


@pytest.fixture
def core(request: pytest.FixtureRequest, op_id: str) -> OpenRouterCore:
    """The core pointed at the Prism that serves ``op_id``'s document."""
    found: OpenRouterCore = request.getfixturevalue("patched_core" if op_id == COINBASE else "main_core")
    return found


def call(current: Case, core: OpenRouterCore, prefer: str | None = None) -> Ok[Any] | Err[Any]:
    """``current.call``, expecting the deprecation warning of a deprecated operation."""
    if current.module.OPERATION.deprecated:
        with pytest.warns(DeprecationWarning, match="deprecated"):
            return current.call(core, prefer)
    return current.call(core, prefer)


def request_violations(response: httpx.Response) -> list[Any]:
    """What Prism found wrong with the request (its ``sl-violations`` header)."""
    found = json.loads(response.headers.get("sl-violations", "[]"))
    return [violation for violation in found if violation.get("location", ["request"])[0] == "request"]


def exchange(result: Ok[Any] | Err[Any]) -> httpx.Response:
    response = result.exchange.response
    assert response is not None, f"no response arrived: {result!r}"
    return response


def assert_accepted_and_decoded(current: Case, result: Ok[Any] | Err[Any]) -> None:
    """Prism accepted the request, its answer fits the document, and the SDK decoded it."""
    response = exchange(result)
    assert response.status_code in current.success, (
        f"{current.op_id}: Prism answered {response.status_code} (violations: {request_violations(response)}): "
        f"{response.text[:500]}"
    )
    assert request_violations(response) == []
    schema = current.success[response.status_code]
    assert schema is not None, f"{current.op_id}: the document gives the {response.status_code} answer no JSON schema"
    body = response.json()
    found = doc.problems(served_document(current.op_id), schema, body)
    assert not found, f"{current.op_id}: Prism's answer does not fit the document: {found}"
    assert isinstance(result, Ok), f"{current.op_id}: a schema-valid answer did not decode: {result.error!r}"
    declared = current.module.OPERATION.responses[response.status_code]
    assert declared[0] == "json"
    # A schema-valid answer names a variant the SDK knows: it never decodes to RawVariant.
    assert isinstance(result.value, _model_types(declared[1])), f"{current.op_id}: {type(result.value).__name__}"


def _model_types(reference: str) -> tuple[type, ...]:
    """The class a response model reference names, or the member classes of a union alias."""
    module, _, name = reference.partition(":")
    found = getattr(importlib.import_module(f"openrouter_funcs.models.{module}"), name)
    if isinstance(found, OneOf):
        return tuple(resolve(member, found.module) for member in found.members)
    return (found,)


def _prefer_for_success(current: Case) -> str | None:
    return "dynamic=true" if current.op_id in STATIC_EXAMPLE_BREAKS_SCHEMA else None


# --- the tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("op_id", SUCCESS_CASES)
def test_valid_request_is_accepted_and_the_answer_decodes(core: OpenRouterCore, op_id: str) -> None:
    current = case(op_id)
    assert_accepted_and_decoded(current, call(current, core, _prefer_for_success(current)))


@pytest.mark.parametrize("op_id", DYNAMIC_CASES)
def test_a_generated_answer_with_unknown_fields_decodes(core: OpenRouterCore, op_id: str) -> None:
    current = case(op_id)
    assert_accepted_and_decoded(current, call(current, core, "dynamic=true"))


@pytest.mark.parametrize("op_id", sorted(STATIC_EXAMPLE_BREAKS_SCHEMA))
def test_static_examples_that_break_the_document(core: OpenRouterCore, op_id: str) -> None:
    # If the document's example gets fixed, drop the operation from STATIC_EXAMPLE_BREAKS_SCHEMA.
    current = case(op_id)
    result = call(current, core)
    response = exchange(result)
    assert response.status_code in current.success
    schema = current.success[response.status_code]
    assert schema is not None
    assert doc.problems(doc.document(), schema, response.json()), f"{op_id}: the static example fits now"
    outcome = STATIC_EXAMPLE_BREAKS_SCHEMA[op_id][1]
    if outcome is orc.RawVariant:
        assert isinstance(result, Ok), result
        assert isinstance(result.value, orc.RawVariant)
        assert result.value.raw == response.json()
    else:
        assert isinstance(result, Err), result
        assert isinstance(result.error, outcome)


@pytest.mark.parametrize("op_id", ASYNC_SAMPLE)
def test_async_twin_is_accepted_and_decodes(prism_url: str, op_id: str) -> None:
    current = case(op_id)

    async def main() -> Any:
        async with OpenRouterCore(api_key=KEY, server_url=prism_url, retry_config=None) as fresh:
            return await current.call_async(fresh, _prefer_for_success(current))

    assert_accepted_and_decoded(current, asyncio.run(main()))


def _error_plan() -> list[tuple[str, int]]:
    """One documented error status per operation, every status of the document covered."""
    covered: set[int] = set()
    plan = []
    for index, op_id in enumerate(SUCCESS_CASES):
        statuses = sorted(importlib.import_module(OPERATIONS[op_id].module).OPERATION.errors)
        fresh = [status for status in statuses if status not in covered]
        status = fresh[0] if fresh else statuses[index % len(statuses)]
        covered.add(status)
        plan.append((op_id, status))
    return plan


ERROR_PLAN = _error_plan()


def test_the_error_plan_covers_every_documented_status() -> None:
    documented = {
        status
        for op_id in SUCCESS_CASES
        for status in importlib.import_module(OPERATIONS[op_id].module).OPERATION.errors
    }
    assert {status for _, status in ERROR_PLAN} == documented
    assert documented <= set(STATUS_ERRORS)
    assert [op_id for op_id, _ in ERROR_PLAN] == SUCCESS_CASES


@pytest.mark.parametrize(("op_id", "status"), ERROR_PLAN)
def test_documented_error_status_comes_back_typed(core: OpenRouterCore, op_id: str, status: int) -> None:
    current = case(op_id)
    result = call(current, core, f"code={status}")
    response = exchange(result)
    assert response.status_code == status, f"{op_id}: Prism answered {response.status_code}: {response.text[:300]}"
    assert request_violations(response) == []
    assert isinstance(result, Err), result
    assert type(result.error) is STATUS_ERRORS[status], repr(result.error)
    assert result.error.status_code == status
    schema = current.errors.get(status)
    if schema is not None and not doc.problems(served_document(op_id), schema, response.json()):
        assert result.error.payload is not None, f"{op_id}: a schema-valid {status} body was not decoded"
        own_model = current.module.OPERATION.error_model  # createMessages: Anthropic-style error bodies
        if own_model is not None:
            assert isinstance(result.error.payload, _model_types(own_model)), repr(result.error.payload)
