"""The generated names, pinned against the table of operations.md, and the generator's --check mode.

EXPECTED is copied by hand from the "Python function" column (and the facade of the "TS function"
column, snake-cased) of operations.md: 97 rows, with createAudioTranscriptions split in two as the
TS SDK does. It is deliberately not derived by code: it is what the derived names must equal.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from openrouter_funcs import _registry
from tools.codegen import config, naming, operations
from tools.codegen.document import Document

ROOT = Path(__file__).resolve().parents[2]

# operationId -> (Python function, facade method relative to the client)
EXPECTED: dict[str, tuple[str, str]] = {
    "getAnalyticsMeta": ("analytics_get_analytics_meta", "analytics.get_analytics_meta"),
    "getUserActivity": ("analytics_get_user_activity", "analytics.get_user_activity"),
    "queryAnalytics": ("analytics_query_analytics", "analytics.query_analytics"),
    "createMessages": ("messages_create", "messages.create"),
    "createKeys": ("api_keys_create", "api_keys.create"),
    "deleteKeys": ("api_keys_delete", "api_keys.delete"),
    "getKey": ("api_keys_get", "api_keys.get"),
    "getCurrentKey": ("api_keys_get_current_key_metadata", "api_keys.get_current_key_metadata"),
    "list": ("api_keys_list", "api_keys.list"),
    "updateKeys": ("api_keys_update", "api_keys.update"),
    "getBenchmarks": ("benchmarks_get_benchmarks", "benchmarks.get_benchmarks"),
    "createBYOKKey": ("byok_create", "byok.create"),
    "deleteBYOKKey": ("byok_delete", "byok.delete"),
    "getBYOKKey": ("byok_get", "byok.get"),
    "listBYOKKeys": ("byok_list", "byok.list"),
    "updateBYOKKey": ("byok_update", "byok.update"),
    "sendChatCompletionRequest": ("chat_send", "chat.send"),
    "getTaskClassifications": ("classifications_get_task_classifications", "classifications.get_task_classifications"),
    "createCoinbaseCharge": ("credits_create_coinbase_charge", "credits.create_coinbase_charge"),
    "getCredits": ("credits_get_credits", "credits.get_credits"),
    "getAppRankings": ("datasets_get_app_rankings", "datasets.get_app_rankings"),
    "getRankingsDaily": ("datasets_get_rankings_daily", "datasets.get_rankings_daily"),
    "getSessionCost": ("datasets_get_session_cost", "datasets.get_session_cost"),
    "createEmbeddings": ("embeddings_generate", "embeddings.generate"),
    "listEmbeddingsModels": ("embeddings_list_models", "embeddings.list_models"),
    "listEndpoints": ("endpoints_list", "endpoints.list"),
    "listEndpointsZdr": ("endpoints_list_zdr_endpoints", "endpoints.list_zdr_endpoints"),
    "deleteFile": ("files_delete", "files.delete"),
    "downloadFileContent": ("files_download", "files.download"),
    "listFiles": ("files_list", "files.list"),
    "getFileMetadata": ("files_retrieve", "files.retrieve"),
    "uploadFile": ("files_upload", "files.upload"),
    "getGeneration": ("generations_get_generation", "generations.get_generation"),
    "listGenerationContent": ("generations_list_generation_content", "generations.list_generation_content"),
    "submitGenerationFeedback": ("generations_submit_feedback", "generations.submit_feedback"),
    "bulkAssignKeysToGuardrail": ("guardrails_bulk_assign_keys", "guardrails.bulk_assign_keys"),
    "bulkAssignMembersToGuardrail": ("guardrails_bulk_assign_members", "guardrails.bulk_assign_members"),
    "bulkUnassignKeysFromGuardrail": ("guardrails_bulk_unassign_keys", "guardrails.bulk_unassign_keys"),
    "bulkUnassignMembersFromGuardrail": ("guardrails_bulk_unassign_members", "guardrails.bulk_unassign_members"),
    "createGuardrail": ("guardrails_create", "guardrails.create"),
    "deleteGuardrail": ("guardrails_delete", "guardrails.delete"),
    "getGuardrail": ("guardrails_get", "guardrails.get"),
    "listGuardrails": ("guardrails_list", "guardrails.list"),
    "listGuardrailKeyAssignments": (
        "guardrails_list_guardrail_key_assignments",
        "guardrails.list_guardrail_key_assignments",
    ),
    "listGuardrailMemberAssignments": (
        "guardrails_list_guardrail_member_assignments",
        "guardrails.list_guardrail_member_assignments",
    ),
    "listKeyAssignments": ("guardrails_list_key_assignments", "guardrails.list_key_assignments"),
    "listMemberAssignments": ("guardrails_list_member_assignments", "guardrails.list_member_assignments"),
    "updateGuardrail": ("guardrails_update", "guardrails.update"),
    "createImages": ("images_generate", "images.generate"),
    "listImageModelEndpoints": ("images_list_model_endpoints", "images.list_model_endpoints"),
    "listImageModels": ("images_list_models", "images.list_models"),
    "listModelsCount": ("models_count", "models.count"),
    "getModel": ("models_get", "models.get"),
    "getModels": ("models_list", "models.list"),
    "listModelsUser": ("models_list_for_user", "models.list_for_user"),
    "createAuthKeysCode": ("oauth_create_auth_code", "oauth.create_auth_code"),
    "exchangeAuthCodeForAPIKey": ("oauth_exchange_auth_code_for_api_key", "oauth.exchange_auth_code_for_api_key"),
    "createObservabilityDestination": ("observability_create", "observability.create"),
    "deleteObservabilityDestination": ("observability_delete", "observability.delete"),
    "getObservabilityDestination": ("observability_get", "observability.get"),
    "listObservabilityDestinations": ("observability_list", "observability.list"),
    "updateObservabilityDestination": ("observability_update", "observability.update"),
    "listOrganizationMembers": ("organization_list_members", "organization.list_members"),
    "createPresetsChatCompletions": (
        "presets_create_presets_chat_completions",
        "presets.create_presets_chat_completions",
    ),
    "createPresetsMessages": ("presets_create_presets_messages", "presets.create_presets_messages"),
    "createPresetsResponses": ("presets_create_presets_responses", "presets.create_presets_responses"),
    "getPreset": ("presets_get", "presets.get"),
    "getPresetVersion": ("presets_get_version", "presets.get_version"),
    "listPresets": ("presets_list", "presets.list"),
    "listPresetVersions": ("presets_list_versions", "presets.list_versions"),
    "listProviders": ("providers_list", "providers.list"),
    "createRerank": ("rerank_rerank", "rerank.rerank"),
    "createResponses": ("responses_send", "responses.send"),
    "createScimGroupMapping": ("scim_create", "scim.create"),
    "deleteScimGroupMapping": ("scim_delete", "scim.delete"),
    "listScimGroups": ("scim_list_groups", "scim.list_groups"),
    "listScimGroupMappings": ("scim_list_mappings", "scim.list_mappings"),
    "getScimGroupMapping": ("scim_read", "scim.read"),
    "updateScimGroupMapping": ("scim_update", "scim.update"),
    "createAudioTranscriptions": ("stt_create_transcription", "stt.create_transcription"),
    "createAudioTranscriptions_multipart": ("stt_create_transcription_multipart", "stt.create_transcription_multipart"),
    "createAudioSpeech": ("tts_create_speech", "tts.create_speech"),
    "createVideos": ("video_generation_generate", "video_generation.generate"),
    "getVideos": ("video_generation_get_generation", "video_generation.get_generation"),
    "listVideosContent": ("video_generation_get_video_content", "video_generation.get_video_content"),
    "listVideosModels": ("video_generation_list_videos_models", "video_generation.list_videos_models"),
    "bulkAddWorkspaceMembers": ("workspaces_bulk_add_members", "workspaces.bulk_add_members"),
    "bulkRemoveWorkspaceMembers": ("workspaces_bulk_remove_members", "workspaces.bulk_remove_members"),
    "createWorkspace": ("workspaces_create", "workspaces.create"),
    "deleteWorkspace": ("workspaces_delete", "workspaces.delete"),
    "deleteWorkspaceBudget": ("workspaces_delete_budget", "workspaces.delete_budget"),
    "getWorkspace": ("workspaces_get", "workspaces.get"),
    "getWorkspaceBudget": ("workspaces_get_budget", "workspaces.get_budget"),
    "listWorkspaces": ("workspaces_list", "workspaces.list"),
    "listWorkspaceBudgets": ("workspaces_list_budgets", "workspaces.list_budgets"),
    "listWorkspaceMembers": ("workspaces_list_members", "workspaces.list_members"),
    "upsertWorkspaceBudget": ("workspaces_set_budget", "workspaces.set_budget"),
    "updateWorkspace": ("workspaces_update", "workspaces.update"),
}
ALIASES = {"beta_responses_send": ("createResponses", "beta.responses.send")}
HELPERS = {
    "oauth_create_authorization_url": "oauth.create_authorization_url",
    "oauth_create_sha256_code_challenge": "oauth.create_sha256_code_challenge",
}


@pytest.fixture(scope="module")
def derived() -> dict[str, tuple[str, str]]:
    document = Document.load(ROOT / config.DOCUMENT, ROOT / config.OVERLAY)
    return {op.id: (op.function, f"{op.namespace}.{op.facade_method}") for op in operations.derive(document)}


def test_the_table_has_every_operation() -> None:
    assert len(EXPECTED) == 98  # 97 operations, one of them in two forms
    assert len({function for function, _ in EXPECTED.values()}) == 98


def test_derived_names_match_the_table(derived: dict[str, tuple[str, str]]) -> None:
    assert derived == EXPECTED


def test_registry_lists_every_generated_operation_by_its_table_name() -> None:
    generated = set(EXPECTED) - set(config.SKIPPED_OPERATIONS)
    assert set(_registry.OPERATIONS) == generated
    for operation_id, info in _registry.OPERATIONS.items():
        function, facade = EXPECTED[operation_id]
        assert (info.function, info.facade, info.module) == (function, facade, f"openrouter_funcs.{function}")
    expected_by_function = {EXPECTED[op_id][0]: op_id for op_id in generated}
    expected_by_function.update({alias: op_id for alias, (op_id, _) in ALIASES.items()})
    assert expected_by_function == _registry.BY_FUNCTION
    assert _registry.HELPERS == HELPERS


@pytest.mark.parametrize(
    "function", sorted({*(EXPECTED[op_id][0] for op_id in _registry.OPERATIONS), *ALIASES, *HELPERS})
)
def test_every_function_exists_in_its_module(function: str) -> None:
    module = importlib.import_module(f"openrouter_funcs.{function}")
    assert callable(getattr(module, function))
    if function not in HELPERS:
        assert callable(getattr(module, f"{function}_async"))


def test_skipped_operations_have_no_module() -> None:
    for operation_id in config.SKIPPED_OPERATIONS:
        function, _ = EXPECTED[operation_id]
        assert not (ROOT / "openrouter_funcs" / f"{function}.py").exists()


@pytest.mark.parametrize(
    ("wire", "attribute"),
    [
        ("total_credits", "total_credits"),
        ("baseUrl", "base_url"),
        ("screenshotB64", "screenshot_b64"),
        ("lambda", "lambda_"),
        ("_shape", "shape"),
        ("01ai", "n_01ai"),
        ("amazon-bedrock/claude-on-aws", "amazon_bedrock_claude_on_aws"),
        ("anthropic/2", "anthropic_2"),
        ("timestamp_granularities[]", "timestamp_granularities"),
        ("list", "list_"),
        ("jobId", "job_id"),
    ],
)
def test_attribute_names(wire: str, attribute: str) -> None:
    assert naming.attribute(wire) == attribute


def test_header_and_module_names() -> None:
    assert naming.header_attribute("X-OpenRouter-Metadata") == "x_openrouter_metadata"
    assert naming.module("WebSearchServerTool_OpenRouter") == "web_search_server_tool_open_router"
    assert naming.snake("oAuthCreateSHA256CodeChallenge") == "o_auth_create_sha256_code_challenge"
    assert naming.namespace("OAuth") == "oauth"
    assert naming.namespace_class(["API", "Keys"]) == "ApiKeys"
    assert naming.namespace_class(["OAuth"]) == "OAuth"


def test_status_errors_match_the_error_tree() -> None:
    import openrouter_core

    for status, name in config.STATUS_ERRORS.items():
        found = openrouter_core.status_error_class(status)
        assert found is not None
        assert found.__name__ == name


def test_check_mode_passes_on_the_committed_tree() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tools.codegen", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
