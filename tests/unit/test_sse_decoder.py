"""The server-sent events decoder follows the WHATWG "event stream" rules, whatever the chunking.

One test per rule of the HTML standard's "Parsing an event stream" and "Interpreting an event
stream" (the spec's own examples where it gives them), then the SDK's additions (``pending``, the
counters, the size limit), then two properties: a stream serialized from random events decodes
back to them, and any split of any bytes into chunks decodes exactly as the whole.
"""

from __future__ import annotations

import doctest
import itertools
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter_core import _sse
from openrouter_core._sse import DEFAULT_MAX_EVENT_BYTES, EventTooLargeError, ServerSentEvent, SSEDecoder

PROPERTY = settings(max_examples=500, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

BOM = b"\xef\xbb\xbf"


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    """Feed the chunks in order, then end the stream; return every event."""
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events + decoder.end()


def datas(*chunks: bytes) -> list[str]:
    return [event.data for event in decode(*chunks)]


def bytewise(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


# --- Parsing: bytes, BOM, line ends -------------------------------------------------------------


def test_a_bom_at_the_very_start_is_dropped() -> None:
    assert datas(BOM + b"data: a\n\n") == ["a"]


def test_a_bom_split_across_chunks_is_still_dropped() -> None:
    assert datas(b"\xef", b"\xbb", b"\xbfdata: a\n\n") == ["a"]
    assert datas(b"", b"\xef\xbb", b"", b"\xbfdata: a\n\n") == ["a"]


def test_only_one_bom_is_dropped() -> None:
    # The second BOM is then the start of the first line: the field is "\ufeffdata", unknown.
    assert decode(BOM + BOM + b"data: a\n\n") == []


def test_a_bom_later_in_the_stream_is_data() -> None:
    assert datas(b"data: " + BOM + b"x\n\n") == ["\ufeffx"]
    # At the start of a later line it is part of the field name, so the line is ignored ...
    assert datas(b"data: a\n\n" + BOM + b"data: b\n\n") == ["a"]
    # ... even when that line starts a later chunk.
    assert datas(b"data: a\n\n", BOM + b"data: b\n\n") == ["a"]


def test_a_character_split_across_chunks_is_decoded() -> None:
    stream = "data: 1 € 𝄞 é\n\n".encode()
    assert datas(*bytewise(stream)) == ["1 € 𝄞 é"]


def test_invalid_utf8_becomes_replacement_characters() -> None:
    assert datas(b"data: a\xffb\xe2\x82\n\n") == ["a\ufffdb\ufffd"]


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"], ids=["LF", "CR", "CRLF"])
def test_each_line_end(eol: bytes) -> None:
    stream = b"data: a" + eol + b"data: b" + eol + eol + b"data: c" + eol + eol
    assert datas(stream) == ["a\nb", "c"]
    assert datas(*bytewise(stream)) == ["a\nb", "c"]


def test_mixed_line_ends() -> None:
    assert datas(b"data: a\rdata: b\r\ndata: c\n\r\n") == ["a\nb\nc"]


def test_cr_ending_a_chunk_and_lf_starting_the_next_are_one_line_end() -> None:
    # Were they two, the LF would be a blank line and dispatch "a" alone.
    assert datas(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n") == ["a\nb"]
    # Empty chunks in between change nothing.
    assert datas(b"data: a\r", b"", b"\ndata: b\n\n") == ["a\nb"]


def test_cr_then_cr_is_two_line_ends() -> None:
    assert datas(b"data: a\r", b"\r") == ["a"]


def test_lf_then_cr_is_two_line_ends() -> None:
    assert datas(b"data: a\n\r") == ["a"]


def test_cr_then_a_character_split_across_chunks() -> None:
    assert datas(b"data: a\r", b"\xe2", b"\x82\xac: x\n\n") == ["a"]  # "€: x" is an unknown field


# --- Interpreting: dispatch, comments, fields ---------------------------------------------------


def test_a_blank_line_dispatches_and_extra_blank_lines_do_nothing() -> None:
    assert datas(b"data: a\n\n\n\ndata: b\n\n\n") == ["a", "b"]


def test_spec_example_message_stream() -> None:
    stream = (
        b"data: This is the first message.\n\n"
        b"data: This is the second message, it\n"
        b"data: has two lines.\n\n"
        b"data: This is the third message.\n\n"
    )
    assert datas(stream) == [
        "This is the first message.",
        "This is the second message, it\nhas two lines.",
        "This is the third message.",
    ]


def test_spec_example_event_types() -> None:
    stream = b"event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n"
    assert [(e.event, e.data) for e in decode(stream)] == [("add", "73857293"), ("remove", "2153"), ("add", "113411")]


def test_comment_lines_are_ignored_and_counted() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n") == []
    assert decoder.comments == 2
    assert decoder.feed(b"data: a\n:inside an event\ndata: b\n\n") == [ServerSentEvent("a\nb")]
    assert decoder.comments == 3
    assert decoder.feed(b":\n") == []  # a lone colon is an empty comment
    assert decoder.comments == 4


def test_field_and_value_split_at_the_first_colon() -> None:
    assert datas(b"data: a: b:c\n\n") == ["a: b:c"]
    assert [e.event for e in decode(b"event:x:y\ndata\n\n")] == ["x:y"]


def test_spec_example_one_leading_space_is_removed() -> None:
    # "data:test" and "data: test" are the same; only one space goes.
    assert datas(b"data:test\n\ndata: test\n\ndata:  test\n\n") == ["test", "test", " test"]


def test_spec_example_lines_without_a_colon() -> None:
    # A line without a colon is a field with an empty value. The first block dispatches "", the
    # second "\n"; the last is discarded because no blank line follows it.
    decoder = SSEDecoder()
    assert decoder.feed(b"data\n\ndata\ndata\n\ndata:") == [ServerSentEvent(""), ServerSentEvent("\n")]
    assert decoder.end() == []
    assert decoder.pending


def test_spec_example_data_lines_join_with_newlines() -> None:
    assert datas(b"data: YHOO\ndata: +2\ndata: 10\n\n") == ["YHOO\n+2\n10"]


def test_spec_example_ids() -> None:
    stream = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"
    assert decode(stream) == [
        ServerSentEvent("first event", id="1"),
        ServerSentEvent("second event", id=""),  # "id" with no value resets the last event ID
        ServerSentEvent(" third event", id=""),
    ]


def test_event_sets_the_type_which_resets_after_each_event() -> None:
    assert [e.event for e in decode(b"event: a\ndata: 1\n\ndata: 2\n\n")] == ["a", "message"]


def test_an_empty_event_field_means_message() -> None:
    assert [e.event for e in decode(b"event: \ndata: 1\n\nevent\ndata: 2\n\n")] == ["message", "message"]


def test_the_last_event_field_wins() -> None:
    assert [e.event for e in decode(b"event: a\nevent: b\ndata: 1\n\n")] == ["b"]


def test_event_type_of_a_block_without_data_does_not_leak() -> None:
    assert [e.event for e in decode(b"event: a\n\ndata: 1\n\n")] == ["message"]


def test_id_persists_across_events() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n")
    assert [(e.data, e.id) for e in events] == [("a", "1"), ("b", "1"), ("c", "2")]
    assert decoder.last_event_id == "2"


def test_id_containing_nul_is_ignored() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n")
    assert [e.id for e in events] == ["1", "1"]
    assert decoder.last_event_id == "1"


def test_id_is_committed_by_a_blank_line_even_without_data() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 7\n\n") == []
    assert decoder.last_event_id == "7"
    assert decoder.feed(b"data: a\n\n") == [ServerSentEvent("a", id="7")]


def test_id_of_an_unfinished_event_is_not_committed() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n")
    assert decoder.last_event_id == "1"
    decoder.end()
    assert decoder.last_event_id == "1"


def test_spec_last_event_id_before_final_empty_line() -> None:
    # From the web platform tests: the second event, cut short, is never dispatched.
    decoder = SSEDecoder()
    assert decoder.feed(b"retry:1000\ndata:test1\n\nid:test\ndata:test2") == [ServerSentEvent("test1", retry=1000)]
    assert decoder.end() == []
    assert decoder.last_event_id == ""


def test_retry_sets_the_reconnection_time() -> None:
    decoder = SSEDecoder()
    assert decoder.retry is None
    assert decoder.feed(b"retry: 10000\n\n") == []  # no data: no event, but the time is set
    assert decoder.retry == 10000
    assert decoder.feed(b"data: a\n\nretry: 0\ndata: b\n\n") == [
        ServerSentEvent("a", retry=10000),
        ServerSentEvent("b", retry=0),
    ]


@pytest.mark.parametrize(
    "value",
    [b"one thousand", b"10s", b"-1", b"1.5", b"+1", b" 1", b"", b"\xef\xbc\x91", b"\xd9\xa1", b"\xc2\xb2"],
    ids=["words", "suffix", "negative", "decimal", "plus", "space", "empty", "fullwidth", "arabic", "superscript"],
)
def test_retry_other_than_ascii_digits_is_ignored(value: bytes) -> None:
    decoder = SSEDecoder()
    decoder.feed(b"retry: 5\n\nretry: " + value + b"\ndata: a\n\n")
    assert decoder.retry == 5


def test_retry_past_pythons_integer_digit_limit_is_ignored_not_raised() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"retry: 5\nretry: " + b"9" * 5000 + b"\n\n")
    assert decoder.retry == 5


def test_retry_keeps_leading_zeros_meaning() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"retry: 007\n")
    assert decoder.retry == 7


@pytest.mark.parametrize(
    "line",
    [b"foo: bar", b"Data: x", b"DATA: x", b"data : x", b" data: x", b"datas: x", b"ID: 9", b"retries: 1"],
)
def test_unknown_fields_are_ignored(line: bytes) -> None:
    decoder = SSEDecoder()
    assert decoder.feed(line + b"\ndata: a\n\n") == [ServerSentEvent("a")]
    assert decoder.last_event_id == ""
    assert decoder.retry is None


def test_an_event_with_an_empty_data_buffer_is_not_dispatched() -> None:
    assert decode(b"event: x\n\nid: 1\n\n: c\n\n\n\n") == []


def test_an_empty_data_line_is_dispatched() -> None:
    assert decode(b"data:\n\n") == [ServerSentEvent("")]


def test_nul_in_data_and_event_is_kept() -> None:
    assert decode(b"event: a\x00b\ndata: c\x00d\n\n") == [ServerSentEvent("c\x00d", event="a\x00b")]


def test_webkit_stream_example() -> None:
    stream = (
        b": a comment (ignored)\n"
        b"this line will be ignored since there is no field and the line itself is not a field\n"
        b"field: an unknown field that will be ignored\n"
        b":another commment\n\n"
        b"data : this line will be ignored since there is a space after data\n\n"
        b"data\ndata:\ndata\n: dispatch event with two newlines\n\n"
        b"data: simple\n\n"
        b"data: spanning\ndata:multiple\ndata\ndata: lines\ndata\n\n"
        b"id: 1\ndata: id is 1\n\n"
        b"data: id is still 1\n\n"
        b"id\ndata: no id\n\n"
        b'event: open\ndata: a message event with the name "open"\n\n'
        b"data: a line ending with crlf\r\ndata: a line with a : (colon)\ndata: a line ending with cr\r\r"
    )
    assert [(e.event, e.data, e.id) for e in decode(stream)] == [
        ("message", "\n\n", ""),
        ("message", "simple", ""),
        ("message", "spanning\nmultiple\n\nlines\n", ""),
        ("message", "id is 1", "1"),
        ("message", "id is still 1", "1"),
        ("message", "no id", ""),
        ("open", 'a message event with the name "open"', ""),
        ("message", "a line ending with crlf\na line with a : (colon)\na line ending with cr", ""),
    ]


# --- End of stream and pending ------------------------------------------------------------------


def test_an_incomplete_event_at_the_end_is_discarded_and_pending() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: b\n") == [ServerSentEvent("a")]
    assert decoder.pending
    assert decoder.end() == []
    assert decoder.pending


def test_an_unterminated_last_line_is_discarded_and_pending() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: b") == [ServerSentEvent("a")]
    assert decoder.pending
    assert decoder.end() == []
    assert decoder.pending


def test_a_complete_stream_is_not_pending() -> None:
    decoder = SSEDecoder()
    assert not decoder.pending
    decoder.feed(b"data: a\n\n: keep-alive\n")
    assert not decoder.pending
    decoder.end()
    assert not decoder.pending


def test_a_stream_ending_in_a_cr_is_not_pending() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\r\r")
    decoder.end()
    assert not decoder.pending


def test_an_unterminated_comment_is_pending() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n: OPENROUTER PROC")
    decoder.end()
    assert decoder.pending
    assert decoder.comments == 0  # an unfinished line is not processed


def test_part_of_a_character_is_pending() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n\xe2\x82")
    assert decoder.pending
    assert decoder.end() == []
    assert decoder.pending


def test_end_is_idempotent_and_closes_the_decoder() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n")
    assert decoder.end() == []
    assert decoder.end() == []
    with pytest.raises(RuntimeError, match="closed"):
        decoder.feed(b"data: b\n\n")


def test_bytes_received_counts_every_byte_fed() -> None:
    decoder = SSEDecoder()
    decoder.feed(b": OPENROUTER PROCESSING\n")
    decoder.feed(b"\n")
    decoder.feed(b"")
    decoder.feed(b"\xe2")
    assert decoder.bytes_received == 26


# --- The size limit -----------------------------------------------------------------------------


def test_the_default_limit_is_16_mib() -> None:
    assert DEFAULT_MAX_EVENT_BYTES == 16 * 1024 * 1024


def test_lines_and_events_up_to_the_limit_are_fine() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    # "data: 1234" is 10 bytes; its data joined with the next line's is "1234\n5678": 9 bytes.
    assert decoder.feed(b"data: 1234\ndata: 5678\n\n") == [ServerSentEvent("1234\n5678")]
    # 10 data lines of nothing: 9 newlines.
    assert decoder.feed(b"data\n" * 10 + b"\n") == [ServerSentEvent("\n" * 9)]


def test_a_line_over_the_limit_raises() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    with pytest.raises(EventTooLargeError, match=r"a line is larger than max_event_bytes \(10 bytes\)") as caught:
        decoder.feed(b"data: a\n\ndata: 12345\n\n")
    assert caught.value.limit == 10
    assert caught.value.events == [ServerSentEvent("a")]  # what the same call completed first


def test_a_comment_or_unknown_line_over_the_limit_raises_too() -> None:
    with pytest.raises(EventTooLargeError):
        SSEDecoder(max_event_bytes=10).feed(b": 0123456789\n")
    with pytest.raises(EventTooLargeError):
        SSEDecoder(max_event_bytes=10).feed(b"x" * 11 + b"\n")


def test_an_unfinished_line_over_the_limit_raises_as_it_arrives() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    decoder.feed(b"data: ")
    for _ in range(94):
        decoder.feed(b"x")  # 100 bytes: at the limit
    with pytest.raises(EventTooLargeError, match="a line"):
        decoder.feed(b"x")


def test_an_unfinished_line_after_complete_ones_raises() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    with pytest.raises(EventTooLargeError, match="a line") as caught:
        decoder.feed(b"data: a\n\ndata: 12345")
    assert caught.value.events == [ServerSentEvent("a")]


def test_an_event_over_the_limit_raises_though_each_line_fits() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    with pytest.raises(EventTooLargeError, match="an event's data"):
        decoder.feed(b"data: 1234\ndata: 5678\ndata: 9\n")  # "1234\n5678\n9": 11 bytes


def test_an_event_of_empty_data_lines_over_the_limit_raises() -> None:
    with pytest.raises(EventTooLargeError, match="an event's data"):
        SSEDecoder(max_event_bytes=10).feed(b"data\n" * 12)


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    # "data: " + 2 euros is 12 bytes but only 8 characters.
    with pytest.raises(EventTooLargeError, match="a line"):
        SSEDecoder(max_event_bytes=11).feed("data: €€\n".encode())
    with pytest.raises(EventTooLargeError, match="a line"):
        SSEDecoder(max_event_bytes=11).feed("data: €€".encode())
    with pytest.raises(EventTooLargeError, match="an event's data"):
        SSEDecoder(max_event_bytes=12).feed("data: €€\ndata: €€\n".encode())  # 13 bytes of data
    decoder = SSEDecoder(max_event_bytes=12)
    assert decoder.feed("data: €€\n\n".encode()) == [ServerSentEvent("€€")]


def test_the_decoder_is_closed_after_the_limit_is_hit() -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    with pytest.raises(EventTooLargeError):
        decoder.feed(b"data: 0123456789\n")
    with pytest.raises(RuntimeError, match="closed"):
        decoder.feed(b"\n")
    assert decoder.end() == []


def test_a_large_event_within_the_default_limit_is_fine() -> None:
    payload = b"x" * (4 * 1024 * 1024)
    decoder = SSEDecoder()
    chunks = [payload[i : i + 65536] for i in range(0, len(payload), 65536)]
    events = [e for c in [b"data: ", *chunks, b"\ndata: ", *chunks, b"\n\n"] for e in decoder.feed(c)]
    assert len(events) == 1
    assert len(events[0].data) == 2 * len(payload) + 1


@pytest.mark.parametrize("bad", [0, -1])
def test_the_limit_must_be_positive(bad: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SSEDecoder(max_event_bytes=bad)


@pytest.mark.parametrize("bad", [1.5, "10", True, None])
def test_the_limit_must_be_an_int(bad: object) -> None:
    with pytest.raises(TypeError, match="expected an int"):
        SSEDecoder(max_event_bytes=bad)  # type: ignore[arg-type]


# --- The event class and the module's own example -----------------------------------------------


def test_server_sent_event_defaults_equality_and_repr() -> None:
    event = ServerSentEvent("d")
    assert (event.data, event.event, event.id, event.retry) == ("d", "message", "", None)
    assert event == ServerSentEvent("d", "message", "", None)
    assert event != ServerSentEvent("d", retry=1)
    assert event != ("d", "message", "", None)
    assert hash(event) == hash(ServerSentEvent("d"))
    assert repr(ServerSentEvent("a\nb", "e", "1", 5)) == "ServerSentEvent(data='a\\nb', event='e', id='1', retry=5)"


def test_the_module_docstring_example_runs() -> None:
    failures, tried = doctest.testmod(_sse, raise_on_error=False, report=True)
    assert tried > 0
    assert failures == 0


def test_public_surface() -> None:
    assert sorted(_sse.__all__) == ["DEFAULT_MAX_EVENT_BYTES", "EventTooLargeError", "SSEDecoder", "ServerSentEvent"]
    assert issubclass(EventTooLargeError, ValueError)


def test_a_long_chat_stream_in_many_chunks() -> None:
    # The shape of a 5,000-chunk OpenRouter chat stream: keep-alives, JSON chunks, [DONE].
    body = b": OPENROUTER PROCESSING\n\n" + b"".join(
        b'data: {"choices":[{"delta":{"content":"tok %d"}}]}\n\n' % i for i in range(5000)
    )
    body += b"data: [DONE]\n\n"
    decoder = SSEDecoder()
    events = [e for i in range(0, len(body), 1024) for e in decoder.feed(body[i : i + 1024])]
    assert decoder.end() == []
    assert not decoder.pending
    assert len(events) == 5001
    assert events[1234].data == '{"choices":[{"delta":{"content":"tok 1234"}}]}'
    assert events[-1].data == "[DONE]"
    assert decoder.comments == 1


# --- Properties ---------------------------------------------------------------------------------

# Text for one line: anything UTF-8 can carry but a line end (colons, spaces, NUL, BOMs included).
_TEXT = st.text(
    st.one_of(
        st.sampled_from(" :\x00\ufeffa1€𝄞"),  # the characters that matter, often
        st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"),
    ),
    max_size=12,
)
LINE_TEXT = st.one_of(_TEXT, _TEXT.map(" ".__add__), _TEXT.map("  ".__add__))  # leading spaces matter
EOL = st.sampled_from(["\n", "\r", "\r\n"])
RETRY_VALUE = st.one_of(
    st.integers(0, 10**15).map(str),
    st.text(st.sampled_from("0123456789 -a\u0661"), max_size=4),
)
# Unknown field names: no colon, no line end, no BOM (a first line's BOM would be dropped).
UNKNOWN_NAME = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\r\n:\ufeff"), min_size=1, max_size=6
).filter(lambda name: name not in {"data", "event", "id", "retry"})


@dataclass
class Item:
    """One line of the stream: a field (known or not) or a comment."""

    name: str  # "data", "event", "id", "retry", ":" for a comment, or an unknown field name
    value: str
    colon: bool = True  # False: the line is the bare name (a field with an empty value)
    space: bool = True  # whether a space follows the colon


COLON = st.sampled_from([True, True, True, False])
ITEM = st.one_of(
    st.builds(Item, st.just("data"), LINE_TEXT, COLON, st.booleans()),
    st.builds(Item, st.just("data"), LINE_TEXT, COLON, st.booleans()),  # data twice as often
    st.builds(Item, st.just("event"), LINE_TEXT, COLON, st.booleans()),
    st.builds(Item, st.just("id"), LINE_TEXT, COLON, st.booleans()),
    st.builds(Item, st.just("retry"), RETRY_VALUE, COLON, st.booleans()),
    st.builds(Item, st.just(":"), LINE_TEXT),
    st.builds(Item, UNKNOWN_NAME, LINE_TEXT, COLON, st.booleans()),
)


def render(item: Item) -> tuple[str, str]:
    """The line for an item, and the value the decoder must read from it."""
    if item.name == ":":
        return ":" + item.value, item.value
    if not item.colon:
        return item.name, ""
    if item.space or item.value.startswith(" "):  # without the space, a leading one would be eaten
        return f"{item.name}: {item.value}", item.value
    return f"{item.name}:{item.value}", item.value


@dataclass
class Model:
    """The spec's interpretation, event by event, for streams built from Items."""

    events: list[ServerSentEvent] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    event_type: str = ""
    id_buffer: str = ""
    last_event_id: str = ""
    retry: int | None = None
    comments: int = 0

    def line(self, item: Item, value: str) -> None:
        if item.name == ":":
            self.comments += 1
        elif item.name == "data":
            self.data.append(value)
        elif item.name == "event":
            self.event_type = value
        elif item.name == "id" and "\0" not in value:
            self.id_buffer = value
        elif item.name == "retry" and value and all(c in "0123456789" for c in value):
            self.retry = int(value)

    def blank(self) -> None:
        self.last_event_id = self.id_buffer
        if self.data:
            self.events.append(
                ServerSentEvent("\n".join(self.data), self.event_type or "message", self.id_buffer, self.retry)
            )
        self.data, self.event_type = [], ""


@st.composite
def streams(draw: st.DrawFn) -> tuple[bytes, Model, bool]:
    """A serialized stream, the model's reading of it, and whether it ends mid-event."""
    blocks = draw(st.lists(st.lists(ITEM, max_size=5), max_size=6))
    tail = draw(st.lists(ITEM, max_size=3))  # an event the stream cuts short (if not empty)
    cut_last_line = draw(st.booleans())
    model = Model()
    out: list[str] = []
    previous_eol = ""

    def end_line(line: str) -> None:
        nonlocal previous_eol
        eol = draw(EOL)
        if previous_eol == "\r" and not line and eol == "\n":
            eol = "\r\n"  # CR then LF would be one line end, not a blank line
        out.append(line + eol)
        previous_eol = eol

    for block in blocks:
        for item in block:
            line, value = render(item)
            end_line(line)
            model.line(item, value)
        end_line("")
        model.blank()
    pending = False
    for index, item in enumerate(tail):
        line, value = render(item)
        if cut_last_line and index == len(tail) - 1:
            out.append(line)  # no line end: never processed
            pending = True
        else:
            end_line(line)
            model.line(item, value)
            pending = pending or item.name != ":"
    bom = BOM if draw(st.booleans()) else b""
    return bom + "".join(out).encode(), model, pending


@st.composite
def splits(draw: st.DrawFn, data: bytes) -> list[bytes]:
    """The bytes in chunks cut anywhere, with empty chunks thrown in."""
    cuts = sorted(draw(st.sets(st.integers(0, len(data)), max_size=max(1, len(data) // 2))))
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def run(chunks: list[bytes]) -> tuple[list[ServerSentEvent], bool, str, int | None, int, int]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    events += decoder.end()
    return events, decoder.pending, decoder.last_event_id, decoder.retry, decoder.comments, decoder.bytes_received


@PROPERTY
@given(st.data(), streams())
def test_serialized_events_decode_back_whatever_the_chunking(
    data: st.DataObject, stream: tuple[bytes, Model, bool]
) -> None:
    body, model, pending = stream
    expected = (model.events, pending, model.last_event_id, model.retry, model.comments, len(body))
    assert run([body]) == expected
    assert run(data.draw(splits(body), label="chunks")) == expected


# Bytes built from the pieces that matter to the decoder, valid UTF-8 or not.
PIECES = st.sampled_from(
    [
        *(b"\r", b"\n", b"\r\n", b":", b" ", b"data", b"id", b"event", b"retry", b"x", b"1", b"\x00"),
        *(BOM, "€".encode(), b"\xe2", b"\x82", b"\xac", b"\xff"),
    ]
)


@PROPERTY
@given(st.data(), st.lists(PIECES, max_size=40).map(b"".join))
def test_any_bytes_decode_the_same_whatever_the_chunking(data: st.DataObject, body: bytes) -> None:
    assert run(data.draw(splits(body), label="chunks")) == run([body])
    assert run(bytewise(body)) == run([body])


def run_data(chunks: list[bytes]) -> tuple[list[str], bool, str, int | None, int, int]:
    decoder = SSEDecoder()
    datas = [text for chunk in chunks for text in decoder.feed_data(chunk)]
    decoder.end()
    return datas, decoder.pending, decoder.last_event_id, decoder.retry, decoder.comments, decoder.bytes_received


@PROPERTY
@given(st.data(), streams())
def test_feed_data_gives_the_data_of_the_events_feed_gives(
    data: st.DataObject, stream: tuple[bytes, Model, bool]
) -> None:
    body, _, _ = stream
    chunks = data.draw(splits(body), label="chunks")
    events, *state = run(chunks)
    assert run_data(chunks) == ([event.data for event in events], *state)
    # One event per chunk, the shape OpenRouter sends: the same through the one-line fast path.
    per_event = [f"data: {event.data}\n\n".encode() for event in events if "\n" not in event.data]
    assert run_data(per_event)[0] == [event.data for event in events if "\n" not in event.data]


@PROPERTY
@given(st.data(), st.lists(PIECES, max_size=40).map(b"".join))
def test_feed_data_agrees_with_feed_on_any_bytes(data: st.DataObject, body: bytes) -> None:
    chunks = data.draw(splits(body), label="chunks")
    events, *state = run(chunks)
    assert run_data(chunks) == ([event.data for event in events], *state)
