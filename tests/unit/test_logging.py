"""The "openrouter" logger: a line per attempt, redacted dumps with debug, and the key never leaks."""

from __future__ import annotations

import logging
import string
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrouter_core import OpenRouterCore, RequestOptions
from openrouter_funcs.credits_create_coinbase_charge import credits_create_coinbase_charge
from openrouter_funcs.credits_get_credits import credits_get_credits
from tests.helpers import CREDITS_BODY, SENDER, FakeClock, Wire, json_response, make_core


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return "\n".join(r.getMessage() for r in self.records)


@contextmanager
def captured() -> Iterator[Records]:
    logger = logging.getLogger("openrouter")
    handler = Records()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def test_one_summary_line_per_attempt() -> None:
    wire = Wire(json_response(503, {"error": {"code": 503, "message": "busy"}}), json_response(200, CREDITS_BODY))
    with captured() as logs:
        credits_get_credits(make_core(wire, clock=FakeClock().clock()))
    lines = [r.getMessage() for r in logs.records]
    assert len(lines) == 3
    assert lines[0].startswith("GET https://openrouter.ai/api/v1/credits -> 503 in ")
    assert lines[0].endswith("ms (attempt 1)")
    assert lines[1] == "retrying in 0.5 s, attempt 2 of 10: 503"
    assert lines[2].startswith("GET https://openrouter.ai/api/v1/credits -> 200 in ")
    assert lines[2].endswith("(attempt 2)")
    assert [r.levelno for r in logs.records] == [logging.DEBUG, logging.INFO, logging.DEBUG]
    assert all(r.name == "openrouter" for r in logs.records)


def test_transport_errors_are_logged_with_their_type() -> None:
    wire = Wire(httpx.ConnectError("refused"))
    with captured() as logs:
        credits_get_credits(make_core(wire), options=RequestOptions(retries=None))
    assert "-> ConnectError: refused in" in logs.text()


def test_debug_logs_redacted_headers_and_bodies() -> None:
    key = "sk-or-v1-supersecret"
    body = {"data": {"total_credits": 1, "total_usage": 0}, "echo": key}
    wire = Wire(json_response(200, body, headers={"x-echo": f"Bearer {key}"}))
    with captured() as logs:
        credits_get_credits(make_core(wire, api_key=key, debug=True))
    text = logs.text()
    assert "> request headers: " in text
    assert "authorization: [REDACTED]" in text
    assert "< response headers: " in text
    assert "x-echo: Bearer [REDACTED]" in text
    assert '< response body: {"data"' in text
    assert key not in text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_debug_logs_the_request_body() -> None:
    wire = Wire(json_response(410, {"error": {"code": 410, "message": "gone"}}))
    with captured() as logs:
        credits_create_coinbase_charge(
            make_core(wire, debug=True), None, {"amount": 1, "sender": SENDER, "chain_id": 1}
        )
    assert f'> request body: {{"amount":1,"sender":"{SENDER}","chain_id":1}}' in logs.text()


def test_without_debug_no_headers_or_bodies_are_logged() -> None:
    with captured() as logs:
        credits_get_credits(make_core(Wire(json_response(200, CREDITS_BODY))))
    assert "headers" not in logs.text()
    assert "body" not in logs.text()


def test_debug_never_configures_the_root_logger_nor_other_cores_logging() -> None:
    root, shared = logging.getLogger(), logging.getLogger("openrouter")
    before = (root.level, list(root.handlers), shared.level, list(shared.handlers))
    OpenRouterCore(debug=True)
    assert (root.level, list(root.handlers), shared.level, list(shared.handlers)) == before
    assert logging.getLogger("openrouter.debug").level == logging.DEBUG


def test_nothing_is_formatted_when_the_logger_is_above_debug() -> None:
    core = make_core(Wire(json_response(200, CREDITS_BODY)), debug=True)
    logging.getLogger("openrouter.debug").setLevel(logging.WARNING)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("openrouter_core._logging._headers_line", lambda *a: pytest.fail("formatted"))
        patch.setattr("openrouter_core._logging._body_text", lambda *a: pytest.fail("formatted"))
        assert credits_get_credits(core).ok


# --- the key never leaks -------------------------------------------------------------------------

KEYS = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=12, max_size=64).map(
    lambda s: "sk-or-" + s
)


def echoing_server(key: str) -> list[httpx.Response | Exception]:
    """Answers that repeat the key back in every place a server could."""
    echo = {"error": {"code": 401, "message": f"invalid key {key}"}, "user_id": key}
    return [
        json_response(200, {"data": {"total_credits": 1, "total_usage": 0}, "key": key}, headers={"x-key": key}),
        json_response(401, echo, headers={"www-authenticate": f"Bearer {key}"}),
        httpx.Response(418, text=f"teapot {key}"),
        httpx.Response(200, text=f"not json {key}", headers={"content-type": "application/json"}),
        httpx.ConnectError(f"refused for {key}"),
        httpx.ReadTimeout(f"timed out for {key}"),
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=KEYS, bearer=st.booleans())
def test_the_key_never_appears_in_logs_errors_or_reprs(key: str, bearer: bool) -> None:
    shown = f"Bearer {key}" if bearer else key
    outputs: list[str] = []
    with captured() as logs:
        for answer in echoing_server(key):
            core = make_core(Wire(answer), api_key=shown, debug=True)
            result = credits_get_credits(core, options=RequestOptions(retries=None))
            outputs += [repr(result), repr(core), repr(result.exchange)]
            if not result.ok:
                outputs += [str(result.error), repr(result.error)]
    outputs.append(logs.text())
    for text in outputs:
        assert key not in text


@given(key=KEYS)
def test_the_key_never_appears_in_option_or_model_reprs(key: str) -> None:
    from openrouter_funcs.models import CreateCoinbaseChargeSecurity

    options = RequestOptions(headers={"Authorization": f"Bearer {key}", "X-Other": "shown"})
    assert key not in repr(options)
    assert "shown" in repr(options)
    assert key not in repr(CreateCoinbaseChargeSecurity(bearer=key))
    assert key not in repr(OpenRouterCore(api_key=key))
