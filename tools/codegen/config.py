"""The generator's settings: inputs, outputs, and the few hand-kept tables. Edit here, not elsewhere."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = Path("openapi/openrouter.openapi.yaml")
OVERLAY = Path("openapi/overlay.yaml")

# --- What this generator does not emit yet ---------------------------------------------------------
# THE skip list. The next issue (streams, binary bodies, multipart, pages) removes entries here and
# teaches the generator the matching encodings; nothing else needs to change to emit them.
SKIPPED_OPERATIONS: dict[str, str] = {
    "createAudioSpeech": "binary response (audio/*)",
    "downloadFileContent": "binary response (application/octet-stream)",
    "listVideosContent": "binary response (video/mp4)",
    "uploadFile": "multipart request",
    "createAudioTranscriptions_multipart": "multipart request",
}
# Success encodings not declared yet: an operation keeps only its other (JSON) answers.
SKIPPED_ENCODINGS: dict[str, str] = {
    "sse": "server-sent events (chat, responses, messages, images, embeddings, rerank)",
    "text": "RSS (getModels with use_rss)",
}

# --- Hand-written files the generated code replaces, once the runtime's call() works ---------------
# While these operations are held back, the generator neither writes nor deletes their operation
# modules, their facade namespace and their generated tests, nor openrouter/_client.py: the
# hand-written Credits slice keeps working. To switch over, empty this set, delete the paths in
# REPLACED_BY_GENERATED, and regenerate.
HELD_BACK: frozenset[str] = frozenset()
HELD_BACK_PATHS = ("openrouter/_client.py",)
REPLACED_BY_GENERATED = (
    "openrouter/_credits.py",
    "openrouter_funcs/models/credits/__init__.py",
    "openrouter_funcs/models/credits/create_coinbase_charge.py",
    "openrouter_funcs/models/credits/get_credits.py",
)

# --- Names the rules do not give -----------------------------------------------------------------
# operationId -> (Python namespace, facade class words). createMessages has no TS function
# (x-speakeasy-ignore); the SDK calls it client.messages.create.
NAMESPACE_OVERRIDES: dict[str, tuple[str, list[str]]] = {
    "createMessages": ("messages", ["Messages"]),
}
# The operation the TS SDK splits by request body: multipart becomes its own function.
MULTIPART_SPLIT = "createAudioTranscriptions"

# --- The error tree (openrouter_core/_errors.py): documented status -> class -----------------------
STATUS_ERRORS: dict[int, str] = {
    400: "BadRequestResponseError",
    401: "UnauthorizedResponseError",
    402: "PaymentRequiredResponseError",
    403: "ForbiddenResponseError",
    404: "NotFoundResponseError",
    408: "RequestTimeoutResponseError",
    409: "ConflictResponseError",
    410: "GoneResponseError",
    413: "PayloadTooLargeResponseError",
    422: "UnprocessableEntityResponseError",
    429: "TooManyRequestsResponseError",
    500: "InternalServerResponseError",
    502: "BadGatewayResponseError",
    503: "ServiceUnavailableResponseError",
    524: "EdgeNetworkTimeoutResponseError",
    529: "ProviderOverloadedResponseError",
}

# Content type -> encoding of a success answer.
ENCODINGS: dict[str, str] = {
    "application/json": "json",
    "text/event-stream": "sse",
    "application/rss+xml": "text",
    "application/octet-stream": "binary",
    "audio/*": "binary",
    "video/mp4": "binary",
}
