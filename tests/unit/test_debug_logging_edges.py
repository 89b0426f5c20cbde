"""Debug logging at its edges: uploads streamed from disk, and a debug logger nobody listens to."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from openrouter.testing import FakeOpenRouter
from openrouter.testing._routes import ROUTES
from openrouter_core import _logging
from openrouter_funcs.stt_create_transcription_multipart import stt_create_transcription_multipart
from tests.testing._fake_document import sdk_request

UPLOAD = b"ID3" + b"\x01secret-audio-bytes\x02" * 100


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def debug_records() -> Iterator[Records]:
    logger = logging.getLogger("openrouter.debug")
    handler, level = Records(), logger.level
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_an_upload_streamed_from_a_file_is_not_dumped(tmp_path: Path, debug_records: Records) -> None:
    route = next(route for route in ROUTES if route.operation_id == "createAudioTranscriptions_multipart")
    audio = tmp_path / "speech.mp3"
    audio.write_bytes(UPLOAD)
    request = {**sdk_request(route), "file": audio}
    with FakeOpenRouter.serve() as fake:  # over a socket, the body is streamed and never held
        result = stt_create_transcription_multipart(fake.core(debug=True), request)
        assert result.ok, result.error
        assert fake.last_request.body.count(b"secret-audio-bytes") == 100  # it was sent whole
    text = "\n".join(debug_records.messages)
    assert "> request headers: " in text
    assert "multipart/form-data" in text
    assert "> request body" not in text
    assert "secret-audio-bytes" not in text
    assert "< response body: " in text


def lonely(monkeypatch: pytest.MonkeyPatch) -> logging.Logger:
    """``openrouter.debug`` with no handler and no ancestor's to reach (the conftest puts it back).

    Called in the test itself: pytest attaches its capture handler to non-propagating loggers as
    the test starts.
    """
    logger = _logging.DEBUG_LOGGER
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logger, "handlers", [])
    logger.setLevel(logging.NOTSET)
    return logger


def test_debug_logging_adds_a_stderr_handler_only_when_nothing_would_receive_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logger = lonely(monkeypatch)
    _logging.enable_debug_logging()
    assert logger.level == logging.DEBUG
    [handler] = logger.handlers
    assert type(handler) is logging.StreamHandler
    assert handler.formatter is not None
    assert "%(name)s" in (handler.formatter._fmt or "")
    _logging.enable_debug_logging()  # again: the handler it added receives it now
    assert logger.handlers == [handler]


def test_debug_logging_keeps_a_more_verbose_level_and_adds_no_handler_when_one_listens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logger = lonely(monkeypatch)
    listener = Records()
    logger.addHandler(listener)
    logger.setLevel(5)  # below DEBUG: more verbose, kept
    _logging.enable_debug_logging()
    assert logger.level == 5
    assert logger.handlers == [listener]
