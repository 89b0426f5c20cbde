"""The generator's settings: inputs, outputs, and the few hand-kept tables. Edit here, not elsewhere."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = Path("openapi/openrouter.openapi.yaml")
OVERLAY = Path("openapi/overlay.yaml")

# --- What this generator does not emit yet ---------------------------------------------------------
# THE skip list: operations that get no module (empty: every operation form is generated).
SKIPPED_OPERATIONS: dict[str, str] = {}
# Success encodings not declared: an operation keeps only its other answers. Server-sent events are
# declared through ``Operation.stream`` (operations whose body has a stream field), not ``responses``.
SKIPPED_ENCODINGS: dict[str, str] = {
    "text": "RSS (getModels with use_rss)",
}

# --- Streams -----------------------------------------------------------------------------------------
# operationId -> the hand-written function that assembles its events into the JSON answer's model
# (``openrouter_funcs/_assembly.py``). A streaming operation not listed has no assembler (F is None).
STREAM_ASSEMBLERS: dict[str, str] = {
    "sendChatCompletionRequest": "openrouter_funcs._assembly:chat_result",
    "createResponses": "openrouter_funcs._assembly:responses_result",
}
# The body field that selects SSE when an operation declares ``text/event-stream`` without
# ``x-speakeasy-stream-request-field`` (``createImages``); it must be a boolean body property.
DEFAULT_STREAM_FIELD = "stream"

# Generated download tests answer with a concrete media type where the document gives a wildcard.
SAMPLE_MEDIA_TYPES: dict[str, str] = {"audio/*": "audio/mpeg"}

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
