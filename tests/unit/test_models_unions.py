"""The generated models' unions, renamed fields and open enums, through the converters and the functions.

Hand-written cases on real generated models (the property tests in tests/properties cover the same
rules with random values):

- tagged unions decode by their tag; an unknown tag decodes to ``RawVariant`` (responses) and is
  re-encoded unchanged; a caller may send a ``RawVariant``, while a dict with an unknown tag is refused;
- untagged unions follow ``_serde``'s documented rule: JSON kind first, then the object member whose
  known properties best cover the value's keys, then document order; the first that fits wins;
- fields whose wire name is not an identifier (``01ai``, ``amazon-bedrock/claude-on-aws``,
  ``lambda``, ``_shape``, ``baseUrl``) decode from and encode to their wire names;
- open enums keep unknown values in responses, and requests refuse them, listing the allowed ones.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import httpx
import pytest

import openrouter_core as orc
from openrouter_core import Err, Ok
from openrouter_core._schema import RawVariant
from openrouter_core._serde import Invalid, decode, model_named, to_json, validate_request
from openrouter_funcs.chat_send import chat_send
from openrouter_funcs.files_retrieve import files_retrieve
from openrouter_funcs.images_generate import OPERATION as IMAGES
from openrouter_funcs.messages_create import OPERATION as MESSAGES
from openrouter_funcs.models.anthropic_file import AnthropicFile
from openrouter_funcs.models.chat_assistant_message import ChatAssistantMessage
from openrouter_funcs.models.chat_developer_message import ChatDeveloperMessage
from openrouter_funcs.models.chat_named_tool_choice import ChatNamedToolChoice
from openrouter_funcs.models.chat_result import ChatResult
from openrouter_funcs.models.chat_server_tool_choice import ChatServerToolChoice
from openrouter_funcs.models.chat_system_message import ChatSystemMessage
from openrouter_funcs.models.chat_tool_message import ChatToolMessage
from openrouter_funcs.models.chat_user_message import ChatUserMessage
from openrouter_funcs.models.observability_langfuse_destination import ObservabilityLangfuseDestinationConfig
from openrouter_funcs.models.open_responses_result import OpenResponsesResult
from openrouter_funcs.models.open_router_file import OpenRouterFile
from openrouter_funcs.models.output_function_call_item import OutputFunctionCallItem
from openrouter_funcs.models.output_message_item import OutputMessageItem
from openrouter_funcs.models.output_reasoning_item import OutputReasoningItem
from openrouter_funcs.models.provider_options import ProviderOptions
from openrouter_funcs.observability_get import observability_get
from tests import openapi_document as doc
from tests.helpers import Wire, json_response, make_core

CHAT_MESSAGES = model_named("ChatMessages")
OUTPUT_ITEMS = model_named("OutputItems")
CHAT_TOOL_CHOICE = model_named("ChatToolChoice")
THINKING = model_named("MessagesRequestThinking")
WEB_SEARCH_ACTION = model_named("OutputItemWebSearchCallAction")
FORMATS = model_named("Formats")
USAGE_ITERATION = model_named("AnthropicUsageIteration")
DOCUMENT_SOURCE = model_named("AnthropicDocumentBlockSource")

HI = [{"role": "user", "content": "hi"}]


def decoded(model: Any, data: Any) -> Any:
    return decode(json.dumps(data).encode(), model)


def chat_body(**fields: Any) -> dict[str, Any]:
    return {"model": "openai/gpt-4o", "messages": HI, **fields}


def chat_result(**choice: Any) -> dict[str, Any]:
    return {
        "id": "gen-1",
        "object": "chat.completion",
        "created": 1,
        "model": "openai/gpt-4o",
        "system_fingerprint": None,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}, **choice}],
    }


def responses_result(**fields: Any) -> dict[str, Any]:
    return {
        "id": "resp-1",
        "object": "response",
        "created_at": 1,
        "model": "openai/gpt-4o",
        "status": "completed",
        "completed_at": 2,
        "output": [],
        "error": None,
        "incomplete_details": None,
        "temperature": None,
        "top_p": None,
        "presence_penalty": None,
        "frequency_penalty": None,
        "instructions": None,
        "metadata": None,
        "tools": [],
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        **fields,
    }


FUNCTION_CALL = {"type": "function_call", "id": "fc-1", "call_id": "call-1", "name": "f", "arguments": "{}"}
MESSAGE_ITEM = {
    "type": "message",
    "id": "msg-1",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "hi", "annotations": []}],
}
REASONING_ITEM = {"type": "reasoning", "id": "rs-1", "summary": []}


def test_the_response_fixtures_fit_the_document() -> None:
    document = doc.patched_document()
    assert not doc.problems(document, {"$ref": doc.COMPONENTS + "ChatResult"}, chat_result())
    result = responses_result(output=[FUNCTION_CALL, MESSAGE_ITEM, REASONING_ITEM])
    assert not doc.problems(document, {"$ref": doc.COMPONENTS + "OpenResponsesResult"}, result)


# --- tagged unions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "cls"),
    [
        ({"role": "system", "content": "be brief"}, ChatSystemMessage),
        ({"role": "user", "content": "hi"}, ChatUserMessage),
        ({"role": "developer", "content": "be brief"}, ChatDeveloperMessage),
        ({"role": "assistant", "content": "hello"}, ChatAssistantMessage),
        ({"role": "tool", "content": "42", "tool_call_id": "call-1"}, ChatToolMessage),
    ],
)
def test_chat_messages_decode_by_role(message: dict[str, Any], cls: type) -> None:
    value = decoded(CHAT_MESSAGES, message)
    assert type(value) is cls
    assert to_json(value) == message
    assert validate_request(CHAT_MESSAGES, message) == message
    assert validate_request(CHAT_MESSAGES, value) == message  # the model itself is a valid request


def test_the_tag_decides_even_when_the_shapes_are_alike() -> None:
    # A system and a developer message have the same fields: only the role tells them apart.
    system, developer = (decoded(CHAT_MESSAGES, {"role": role, "content": "x"}) for role in ("system", "developer"))
    assert type(system) is ChatSystemMessage
    assert type(developer) is ChatDeveloperMessage


def test_output_items_decode_by_type_inside_a_responses_result() -> None:
    result = decoded(OpenResponsesResult, responses_result(output=[FUNCTION_CALL, MESSAGE_ITEM, REASONING_ITEM]))
    assert [type(item) for item in result.output] == [OutputFunctionCallItem, OutputMessageItem, OutputReasoningItem]
    assert result.output[0].name == "f"


def test_an_unknown_output_item_is_kept_raw_and_re_encoded_unchanged() -> None:
    unknown = {"type": "hologram_call", "id": "h-1", "payload": {"depth": [1, 2, 3], "ok": None}}
    body = responses_result(output=[FUNCTION_CALL, unknown])
    result = decoded(OpenResponsesResult, body)
    assert isinstance(result.output[0], OutputFunctionCallItem)
    assert result.output[1] == RawVariant(unknown)
    assert result.output[1].tag == "hologram_call"
    assert to_json(result)["output"][1] == unknown


def test_an_unknown_role_is_kept_raw() -> None:
    critic = {"role": "critic", "content": "meh", "score": 3}
    value = decoded(CHAT_MESSAGES, critic)
    assert value == RawVariant(critic)
    assert value.tag == "critic"
    assert to_json(value) == critic


def test_a_raw_variant_is_sent_as_it_is() -> None:
    critic = {"role": "critic", "content": "meh", "score": 3}
    wire = Wire(json_response(200, chat_result()))
    result = chat_send(make_core(wire), chat_body(messages=[*HI, RawVariant(critic)]))
    assert isinstance(result, Ok), result
    assert json.loads(wire.requests[0].content)["messages"] == [*HI, critic]


def test_a_dict_with_an_unknown_tag_is_refused_listing_the_known_tags() -> None:
    wire = Wire(json_response(200, chat_result()))
    result = chat_send(make_core(wire), chat_body(messages=[{"role": "critic", "content": "meh"}]))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.SDKValidationError)
    assert wire.requests == []  # nothing sent
    message = str(result.error)
    assert "request.messages[0].role" in message
    for role in ("system", "user", "developer", "assistant", "tool"):
        assert repr(role) in message
    assert "'critic'" in message


def test_a_missing_tag_is_refused_in_a_request_and_kept_raw_in_a_response() -> None:
    with pytest.raises(Invalid) as caught:
        validate_request(CHAT_MESSAGES, {"content": "hi"})
    assert caught.value.failures == [("request.role", "is required")]
    assert decoded(CHAT_MESSAGES, {"content": "hi"}) == RawVariant({"content": "hi"})


# --- untagged unions ------------------------------------------------------------------------------------


def test_json_kind_comes_first_a_string_tool_choice_is_the_enum() -> None:
    assert decoded(CHAT_TOOL_CHOICE, "auto") == "auto"
    assert validate_request(CHAT_TOOL_CHOICE, "required") == "required"


def test_json_kind_comes_first_an_object_tool_choice_is_a_model() -> None:
    named = {"type": "function", "function": {"name": "get_weather"}}
    value = decoded(CHAT_TOOL_CHOICE, named)
    assert type(value) is ChatNamedToolChoice
    assert value.function.name == "get_weather"
    assert validate_request(CHAT_TOOL_CHOICE, named) == named


def test_an_object_that_fits_only_a_later_member_is_that_member() -> None:
    # ChatNamedToolChoice needs `function`: a server tool choice falls through to ChatServerToolChoice.
    server = {"type": "openrouter:web_search"}
    value = decoded(CHAT_TOOL_CHOICE, server)
    assert type(value) is ChatServerToolChoice
    assert validate_request(CHAT_TOOL_CHOICE, server) == server


def test_a_kind_no_member_takes_is_refused_naming_the_kinds() -> None:
    with pytest.raises(Invalid) as caught:
        validate_request(CHAT_TOOL_CHOICE, 3)
    ((path, reason),) = caught.value.failures
    assert path == "request"
    assert "a string" in reason
    assert "an object" in reason


def test_a_chat_user_message_content_is_a_string_or_a_list_of_parts() -> None:
    text = decoded(CHAT_MESSAGES, {"role": "user", "content": "hi"})
    parts = decoded(CHAT_MESSAGES, {"role": "user", "content": [{"type": "text", "text": "hi"}]})
    assert text.content == "hi"
    assert isinstance(parts.content, list)
    assert to_json(parts.content) == [{"type": "text", "text": "hi"}]


def test_the_member_covering_most_keys_is_tried_first() -> None:
    # OpenPage (type, url) accepts this too; FindInPage (type, url, pattern) covers all three keys.
    find = {"type": "find_in_page", "url": "https://example.com", "pattern": "price"}
    value = decoded(WEB_SEARCH_ACTION, find)
    assert type(value).__name__ == "OutputItemWebSearchCallActionFindInPage"
    assert to_json(value) == find


def test_on_a_tie_document_order_decides_and_a_misfit_falls_through() -> None:
    # Every member knows only `type` here: Search (first) needs `query`, so OpenPage (second) wins.
    value = decoded(WEB_SEARCH_ACTION, {"type": "open_page"})
    assert type(value).__name__ == "OutputItemWebSearchCallActionOpenPage"


@pytest.mark.parametrize(
    ("thinking", "member"),
    [
        ({"type": "enabled", "budget_tokens": 2048}, "MessagesRequestThinkingEnabled"),
        ({"type": "disabled"}, "MessagesRequestThinkingDisabled"),
        ({"type": "adaptive"}, "MessagesRequestThinkingAdaptive"),
    ],
)
def test_messages_thinking_requests_go_out_as_given(thinking: dict[str, Any], member: str) -> None:
    assert member in THINKING.members
    body = {"model": "anthropic/claude-sonnet-4", "max_tokens": 10, "messages": HI, "thinking": thinking}
    assert validate_request(MESSAGES.request_model(), body)["thinking"] == thinking


def test_an_enabled_thinking_without_its_budget_is_refused() -> None:
    body = {"model": "anthropic/claude-sonnet-4", "max_tokens": 10, "messages": HI, "thinking": {"type": "enabled"}}
    with pytest.raises(Invalid):
        validate_request(MESSAGES.request_model(), body)


# Responses keep unknown values of a single-value Literal (a tag such as type: 'json_object'), but an
# untagged union prefers the member whose tags match, so a later member of the same shape still wins.


@pytest.mark.parametrize(
    ("union", "value", "member"),
    [
        pytest.param(FORMATS, {"type": "json_object"}, "FormatJsonObjectConfig", id="Formats"),
        pytest.param(
            USAGE_ITERATION,
            {"type": "message", "input_tokens": 1, "output_tokens": 2},
            "AnthropicMessageUsageIteration",
            id="AnthropicUsageIteration",
        ),
        pytest.param(
            DOCUMENT_SOURCE,
            {"type": "text", "media_type": "text/plain", "data": "hello"},
            "AnthropicPlainTextSource",
            id="AnthropicDocumentBlockSource",
        ),
        pytest.param(THINKING, {"type": "adaptive"}, "MessagesRequestThinkingAdaptive", id="MessagesRequestThinking"),
    ],
)
def test_an_untagged_union_member_with_a_tag_decodes_to_that_member(union: Any, value: Any, member: str) -> None:
    assert type(decoded(union, value)).__name__ == member


def test_a_responses_result_keeps_its_json_object_format() -> None:
    result = decoded(OpenResponsesResult, responses_result(text={"format": {"type": "json_object"}}))
    assert type(result.text.format).__name__ == "FormatJsonObjectConfig"


# --- renamed fields --------------------------------------------------------------------------------------

RENAMED_OPTIONS = {
    "01ai": {"safe_mode": True},
    "amazon-bedrock/claude-on-aws": {"region": "us-east-1"},
    "lambda": {"priority": 1},
    "amazon-bedrock": {"guardrail": "g-1"},
}


def test_provider_option_names_that_are_not_identifiers_decode_to_attributes() -> None:
    options = decoded(ProviderOptions, RENAMED_OPTIONS)
    assert options.n_01ai == {"safe_mode": True}
    assert options.amazon_bedrock_claude_on_aws == {"region": "us-east-1"}
    assert options.lambda_ == {"priority": 1}
    assert options.amazon_bedrock == {"guardrail": "g-1"}
    assert to_json(options) == RENAMED_OPTIONS


def test_provider_options_built_by_attribute_encode_to_wire_names() -> None:
    options = ProviderOptions(n_01ai={"a": 1}, lambda_={"b": 2}, amazon_bedrock_claude_on_aws={"c": 3})
    assert to_json(options) == {"01ai": {"a": 1}, "amazon-bedrock/claude-on-aws": {"c": 3}, "lambda": {"b": 2}}
    assert {field.name for field in attrs.fields(ProviderOptions)} >= {"n_01ai", "lambda_", "amazon_bedrock"}


def test_a_request_takes_wire_names_and_sends_them() -> None:
    body = {"model": "black-forest-labs/flux", "prompt": "a cat", "provider": {"options": RENAMED_OPTIONS}}
    assert validate_request(IMAGES.request_model(), body)["provider"] == {"options": RENAMED_OPTIONS}


def test_a_request_refuses_the_python_name_and_suggests_the_wire_name() -> None:
    body = {"model": "black-forest-labs/flux", "prompt": "a cat", "provider": {"options": {"n_01ai": {}}}}
    with pytest.raises(Invalid) as caught:
        validate_request(IMAGES.request_model(), body)
    ((path, reason),) = caught.value.failures
    assert path == "request.provider.options.n_01ai"
    assert reason.startswith("unknown field")


def test_shape_decodes_from_underscore_shape() -> None:
    openrouter = {
        "_shape": "openrouter",
        "id": "or_file_1",
        "type": "file",
        "filename": "a.pdf",
        "mime_type": "application/pdf",
        "size_bytes": 10,
        "created_at": "2025-01-01T00:00:00Z",
        "downloadable": False,
    }
    wire = Wire(json_response(200, openrouter))
    result = files_retrieve(make_core(wire), {"file_id": "or_file_1"})
    assert isinstance(result, Ok), result
    assert type(result.value) is OpenRouterFile
    assert result.value.shape == "openrouter"
    assert to_json(result.value)["_shape"] == "openrouter"
    assert "shape" not in to_json(result.value)


def test_the_shape_tag_picks_the_file_model() -> None:
    anthropic = {
        "_shape": "anthropic",
        "id": "file_1",
        "type": "file",
        "filename": "a.pdf",
        "mime_type": "application/pdf",
        "size_bytes": 10,
        "created_at": "2025-01-01T00:00:00Z",
        "downloadable": False,
    }
    assert not doc.problems(doc.patched_document(), {"$ref": doc.COMPONENTS + "AnthropicFile"}, anthropic)
    assert type(decoded(model_named("FileResponse"), anthropic)) is AnthropicFile


def test_camel_case_names_decode_and_encode() -> None:
    config = {"publicKey": "pk", "secretKey": "sk", "baseUrl": "https://langfuse.example.com"}
    value = decoded(ObservabilityLangfuseDestinationConfig, config)
    assert (value.public_key, value.secret_key, value.base_url) == ("pk", "sk", "https://langfuse.example.com")
    assert to_json(value) == config


def test_a_camel_case_field_is_checked_by_its_wire_name() -> None:
    config = {"publicKey": "pk", "secretKey": "sk", "baseUrl": "https://langfuse.example.com"}
    assert validate_request(ObservabilityLangfuseDestinationConfig, config) == config
    with pytest.raises(Invalid) as caught:
        validate_request(ObservabilityLangfuseDestinationConfig, {**config, "public_key": "pk"})
    assert caught.value.failures == [("request.public_key", "unknown field; did you mean 'publicKey'?")]


def test_a_destination_read_back_decodes_its_camel_case_config() -> None:
    document = doc.patched_document()
    langfuse = doc.minimal(document, {"$ref": doc.COMPONENTS + "ObservabilityLangfuseDestination"})
    config = {"publicKey": "pk", "secretKey": "sk", "baseUrl": "https://langfuse.example.com"}
    destination = {**langfuse, "config": config}
    body = {"data": destination}
    assert not doc.problems(document, {"$ref": doc.COMPONENTS + "GetObservabilityDestinationResponse"}, body)
    wire = Wire(json_response(200, body))
    result = observability_get(make_core(wire), {"id": destination["id"]})
    if isinstance(result, Err):
        pytest.fail(f"{result.error!r}")
    assert result.value.data.config.base_url == "https://langfuse.example.com"
    config = result.value.data.config
    assert config.base_url == "https://langfuse.example.com"
    assert to_json(config)["baseUrl"] == "https://langfuse.example.com"


# --- open enums -----------------------------------------------------------------------------------------


def test_an_unknown_finish_reason_is_kept_in_a_response() -> None:
    wire = Wire(json_response(200, chat_result(finish_reason="thought_too_hard")))
    result = chat_send(make_core(wire), chat_body())
    assert isinstance(result, Ok), result
    assert isinstance(result.value, ChatResult)
    assert result.value.choices[0].finish_reason == "thought_too_hard"
    assert to_json(result.value)["choices"][0]["finish_reason"] == "thought_too_hard"


def test_an_unknown_item_status_is_kept_in_a_response() -> None:
    paused = {**FUNCTION_CALL, "status": "paused"}
    result = decoded(OpenResponsesResult, responses_result(output=[paused]))
    assert result.output[0].status == "paused"


def test_a_known_enum_value_is_accepted_in_a_request() -> None:
    wire = Wire(json_response(200, chat_result()))
    result = chat_send(make_core(wire), chat_body(reasoning={"effort": "high"}))
    assert isinstance(result, Ok), result
    assert json.loads(wire.requests[0].content)["reasoning"] == {"effort": "high"}


def test_an_unknown_enum_value_is_refused_in_a_request_listing_the_allowed_ones() -> None:
    wire = Wire(json_response(200, chat_result()))
    result = chat_send(make_core(wire), chat_body(reasoning={"effort": "extreme"}))
    assert isinstance(result, Err), result
    assert isinstance(result.error, orc.SDKValidationError)
    assert wire.requests == []
    message = str(result.error)
    assert "request.reasoning.effort" in message
    assert "'extreme'" in message
    for allowed in ("max", "xhigh", "high", "medium", "low", "minimal", "none"):
        assert repr(allowed) in message


def test_every_failing_enum_is_reported_at_once() -> None:
    body = chat_body(reasoning={"effort": "extreme"}, service_tier="platinum", tool_choice="sometimes")
    with pytest.raises(Invalid) as caught:
        validate_request(model_named("ChatRequest"), body)
    paths = {path for path, _ in caught.value.failures}
    assert {"request.reasoning.effort", "request.service_tier", "request.tool_choice"} <= paths


def test_an_unknown_string_tool_choice_is_kept_in_a_response_but_refused_in_a_request() -> None:
    assert decoded(CHAT_TOOL_CHOICE, "sometimes") == "sometimes"
    with pytest.raises(Invalid) as caught:
        validate_request(CHAT_TOOL_CHOICE, "sometimes")
    ((_, reason),) = caught.value.failures
    for allowed in ("'none'", "'auto'", "'required'"):
        assert allowed in reason


def test_a_status_error_is_not_confused_with_an_enum_failure() -> None:
    # A refused enum sends nothing; an accepted one reaches the server, whose error comes back typed.
    wire = Wire(httpx.Response(400, json={"error": {"code": 400, "message": "bad"}}))
    result = chat_send(make_core(wire, retry_config=None), chat_body(reasoning={"effort": "low"}))
    assert isinstance(result, Err)
    assert isinstance(result.error, orc.BadRequestResponseError)
    assert len(wire.requests) == 1
