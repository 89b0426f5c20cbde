"""Streams, downloads, uploads and pages in the generated operations, pinned against operations.md.

The expected values are copied by hand from special cases 1, 3, 4 and 26 of operations.md (and the
event schemas it names); they are what the generator's derivations must give.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

from openrouter_core._operation import Pages, StreamSpec
from openrouter_funcs import _registry

ASSEMBLY = "openrouter_funcs._assembly"
# operationId -> its StreamSpec: the body field, one event's data model, the sentinel, the assembler.
STREAMS = {
    "sendChatCompletionRequest": StreamSpec(
        "stream", "chat_stream_chunk:ChatStreamChunk", "[DONE]", f"{ASSEMBLY}:chat_result"
    ),
    "createResponses": StreamSpec("stream", "stream_events:StreamEvents", "[DONE]", f"{ASSEMBLY}:responses_result"),
    "createMessages": StreamSpec("stream", "messages_stream_events:MessagesStreamEvents", "[DONE]", None),
    "createImages": StreamSpec("stream", "image_streaming_response:ImageStreamingResponseData", "[DONE]", None),
}
# SSE declared without a stream field (embeddings, rerank), or a stream field without SSE (presets).
NOT_STREAMS = (
    "createEmbeddings",
    "createRerank",
    "createPresetsChatCompletions",
    "createPresetsMessages",
    "createPresetsResponses",
)
DOWNLOADS = ("createAudioSpeech", "downloadFileContent", "listVideosContent")
UPLOADS = ("uploadFile", "createAudioTranscriptions_multipart")
OFFSET_PAGES = {
    "listBYOKKeys",
    "getAppRankings",
    "getSessionCost",
    "listEmbeddingsModels",
    "listGuardrails",
    "listGuardrailKeyAssignments",
    "listGuardrailMemberAssignments",
    "listKeyAssignments",
    "listMemberAssignments",
    "getModels",
    "listModelsUser",
    "listObservabilityDestinations",
    "listOrganizationMembers",
    "listPresets",
    "listPresetVersions",
    "listScimGroupMappings",
    "listScimGroups",
    "listWorkspaces",
    "listWorkspaceMembers",
}
MAX_OFFSETS = {"getAppRankings": 100, "getSessionCost": 5000}


def operation(operation_id: str) -> Any:
    return importlib.import_module(_registry.OPERATIONS[operation_id].module).OPERATION


def function(operation_id: str, suffix: str = "") -> Any:
    info = _registry.OPERATIONS[operation_id]
    return getattr(importlib.import_module(info.module), info.function + suffix)


@pytest.mark.parametrize("operation_id", sorted(STREAMS))
def test_streaming_operations_declare_their_events(operation_id: str) -> None:
    described = operation(operation_id)
    assert described.stream == STREAMS[operation_id]
    assert isinstance(described.stream, StreamSpec)
    assert [encoding for encoding, _ in described.responses.values()] == ["json"]
    assert _registry.OPERATIONS[operation_id].streaming


def test_only_the_four_operations_with_a_stream_field_stream() -> None:
    assert {op for op, info in _registry.OPERATIONS.items() if info.streaming} == set(STREAMS)
    for operation_id in NOT_STREAMS:
        assert operation(operation_id).stream is None


@pytest.mark.parametrize("operation_id", sorted(STREAMS))
def test_a_streaming_async_function_is_its_own_coroutine_function(operation_id: str) -> None:
    # Not async_twin(): its stream is an AsyncStream, so its overloads differ from the sync ones.
    assert inspect.iscoroutinefunction(function(operation_id, "_async"))


@pytest.mark.parametrize("operation_id", DOWNLOADS)
def test_downloads_answer_binary(operation_id: str) -> None:
    assert operation(operation_id).responses == {200: ("binary", None)}
    assert inspect.iscoroutinefunction(function(operation_id, "_async"))


@pytest.mark.parametrize("operation_id", UPLOADS)
def test_uploads_send_multipart(operation_id: str) -> None:
    assert operation(operation_id).body == "multipart"


def test_the_multipart_transcription_shares_its_endpoint() -> None:
    json_form, multipart = operation("createAudioTranscriptions"), operation("createAudioTranscriptions_multipart")
    assert (json_form.method, json_form.path, json_form.body) == ("POST", "/audio/transcriptions", "json")
    assert (multipart.method, multipart.path) == (json_form.method, json_form.path)


def test_paginated_operations() -> None:
    paginated = {op for op, info in _registry.OPERATIONS.items() if info.paginated}
    assert paginated == {*OFFSET_PAGES, "listFiles"}
    assert operation("listFiles").pagination == Pages("cursor", None, None)
    for operation_id in OFFSET_PAGES:
        pages = operation(operation_id).pagination
        assert isinstance(pages, Pages)
        assert pages.kind == "offset"
        assert pages.default_limit in (50, 100, 500)
        assert pages.max_offset == MAX_OFFSETS.get(operation_id)
    assert operation("getSessionCost").pagination.default_limit == 100
    assert operation("list").pagination is None  # GET /keys has an offset but no pagination extension


@pytest.mark.parametrize("operation_id", sorted({*OFFSET_PAGES, "listFiles"}))
def test_paginated_operations_have_page_iterators(operation_id: str) -> None:
    assert inspect.isfunction(function(operation_id, "_pages"))
    assert inspect.isfunction(function(operation_id, "_pages_async"))
