"""Streams assembled into the result the non-streaming call would have returned (hand-written).

``stream.collect()`` calls these with every event the stream delivered:

- ``chat_result``: chat chunks -> ``ChatResult``: the content, reasoning and refusal of each choice
  concatenated, tool calls merged by their index (arguments concatenated), reasoning details in
  order, the last finish reason and usage;
- ``responses_result``: Responses events -> the final ``OpenResponsesResult`` (of
  ``response.completed``, else ``response.incomplete``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openrouter_core._schema import UNSET

if TYPE_CHECKING:
    from openrouter_funcs.models.chat_result import ChatResult
    from openrouter_funcs.models.chat_stream_chunk import ChatStreamChunk
    from openrouter_funcs.models.open_responses_result import OpenResponsesResult

__all__ = ["chat_result", "responses_result"]


class _Choice:
    """What one choice has gathered so far."""

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = {"content": [], "reasoning": [], "refusal": []}
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.reasoning_details: list[Any] = []
        self.finish_reason: Any = None
        self.audio: Any = None

    def add(self, choice: Any) -> None:
        delta = choice.delta
        for name, parts in self.texts.items():
            value = getattr(delta, name, None)
            if isinstance(value, str):
                parts.append(value)
        for call in delta.tool_calls or ():
            merged = self.tool_calls.setdefault(call.index, {"id": None, "name": None, "arguments": []})
            merged["id"] = call.id or merged["id"]
            if call.function is not None:
                merged["name"] = call.function.name or merged["name"]
                merged["arguments"].append(call.function.arguments or "")
        self.reasoning_details.extend(delta.reasoning_details or ())
        self.audio = delta.audio or self.audio
        self.finish_reason = choice.finish_reason or self.finish_reason

    def text(self, name: str) -> str | Any:
        parts = self.texts[name]
        return "".join(parts) if parts else UNSET


def chat_result(chunks: list[ChatStreamChunk]) -> ChatResult:
    """The ``ChatResult`` a non-streaming call would have returned, from a chat stream's chunks."""
    from openrouter_funcs.models.chat_assistant_message import ChatAssistantMessage
    from openrouter_funcs.models.chat_choice import ChatChoice
    from openrouter_funcs.models.chat_result import ChatResult
    from openrouter_funcs.models.chat_tool_call import ChatToolCall, ChatToolCallFunction

    if not chunks:
        raise ValueError("the stream delivered no chunks")
    choices: dict[int, _Choice] = {}
    for chunk in chunks:
        for choice in chunk.choices:
            choices.setdefault(choice.index, _Choice()).add(choice)
    first, usage = chunks[0], next((c.usage for c in reversed(chunks) if c.usage is not None), None)
    built = []
    for index, gathered in sorted(choices.items()):
        calls = [
            ChatToolCall(
                id=call["id"] or "",
                type="function",
                function=ChatToolCallFunction(name=call["name"] or "", arguments="".join(call["arguments"])),
            )
            for _, call in sorted(gathered.tool_calls.items())
        ]
        message = ChatAssistantMessage(
            role="assistant",
            content=gathered.text("content") if gathered.texts["content"] or not calls else None,
            reasoning=gathered.text("reasoning"),
            refusal=gathered.text("refusal"),
            tool_calls=calls or None,
            reasoning_details=gathered.reasoning_details or None,
            audio=gathered.audio,
        )
        built.append(ChatChoice(finish_reason=gathered.finish_reason, index=index, message=message))
    return ChatResult(
        id=first.id,
        choices=built,
        created=first.created,
        model=first.model,
        object="chat.completion",
        system_fingerprint=next((c.system_fingerprint for c in chunks if c.system_fingerprint), None),
        usage=usage,
        service_tier=next((c.service_tier for c in reversed(chunks) if c.service_tier is not UNSET), UNSET),
        openrouter_metadata=next((c.openrouter_metadata for c in reversed(chunks) if c.openrouter_metadata), None),
    )


def responses_result(events: list[Any]) -> OpenResponsesResult:
    """The final response of a Responses stream (``response.completed``, else ``response.incomplete``)."""
    for wanted in ("response.completed", "response.incomplete"):
        for event in reversed(events):
            if getattr(event, "type", None) == wanted:
                response: OpenResponsesResult = event.response
                return response
    raise ValueError("the stream has no response.completed or response.incomplete event")
