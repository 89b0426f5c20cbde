"""Promise 9: odd values are refused, not accepted as valid.

- A 2xx JSON body holding ``1e999`` (which ``json`` turns into infinity) is a
  ``ResponseValidationError``: the decoder promises finite numbers.
- A ``server_url`` with an empty query (``...?``) or fragment (``...#``), or a port outside
  1-65535, is a ``ValueError`` at construction (and an ``SDKValidationError`` per call).
- ``debug`` must be a bool: ``debug="no"`` is a ``TypeError``, not "on".
- One core with ``debug=True`` does not turn on debug output for every other core: constructing
  it leaves the ``openrouter`` logger's level alone, and a non-debug core's calls emit nothing
  the application did not ask for (no header/body dumps, no DEBUG lines).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

import openrouter_core as orc
from openrouter import OpenRouter
from openrouter_core import OpenRouterCore, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits, credits_get_credits_async
from tests.helpers import CREDITS_BODY, Wire, json_response, make_core


def raw_json(status: int, text: str) -> Any:
    import httpx

    return httpx.Response(status, content=text.encode(), headers={"content-type": "application/json"})


NON_FINITE = ["1e999", "-1e999", "1E400", "-1.5e309", "NaN", "Infinity", "-Infinity"]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("field", ["total_credits", "total_usage"])
@pytest.mark.parametrize("number", NON_FINITE)
def test_a_non_finite_number_in_a_success_body_is_a_validation_error(mode: str, field: str, number: str) -> None:
    other = "total_usage" if field == "total_credits" else "total_credits"
    wire = Wire(raw_json(200, f'{{"data": {{"{field}": {number}, "{other}": 1}}}}'))
    core = make_core(wire, retry_config=None)
    result = credits_get_credits(core) if mode == "sync" else asyncio.run(credits_get_credits_async(core))
    assert isinstance(result, orc.Err), result
    assert isinstance(result.error, orc.ResponseValidationError), repr(result.error)


BAD_URLS = [
    pytest.param("https://openrouter.ai/api/v1?", id="empty-query"),
    pytest.param("https://openrouter.ai/api/v1/?", id="slash-empty-query"),
    pytest.param("https://openrouter.ai/api/v1#", id="empty-fragment"),
    pytest.param("https://openrouter.ai/api/v1?#", id="empty-query-and-fragment"),
    pytest.param("https://openrouter.ai:70000/api/v1", id="port-70000"),
    pytest.param("http://127.0.0.1:65536/api/v1", id="port-65536"),
    pytest.param("http://127.0.0.1:99999999999/api/v1", id="port-huge"),
    pytest.param("http://127.0.0.1:-1/api/v1", id="port-negative"),
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_malformed_server_url_is_a_value_error_at_construction(url: str) -> None:
    with pytest.raises(ValueError, match="server_url") as caught:
        OpenRouterCore(server_url=url)
    assert "\n" not in str(caught.value)
    with pytest.raises(ValueError, match="server_url"):
        OpenRouter(server_url=url)


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_malformed_base_url_variable_is_a_value_error(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_BASE_URL", url)
    with pytest.raises(ValueError, match="OPENROUTER_BASE_URL"):
        OpenRouterCore()


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_malformed_per_call_server_url_is_refused_before_sending(url: str) -> None:
    try:
        options = RequestOptions(server_url=url)
    except ValueError as exc:  # refused at construction: fine too
        refused = str(exc)
    else:
        wire = Wire(json_response(200, CREDITS_BODY))
        result = credits_get_credits(make_core(wire), None, options)
        assert isinstance(result, orc.Err)
        assert isinstance(result.error, orc.SDKValidationError)
        assert result.error.field == "options.server_url"
        assert wire.requests == []
        refused = str(result.error)
    assert "server_url" in refused
    assert "\n" not in refused


@pytest.mark.parametrize("value", ["no", "false", "off", "0", "", "yes", "True", [], {}])
def test_debug_must_be_a_bool(value: object) -> None:
    with pytest.raises(TypeError, match="debug") as caught:
        OpenRouterCore(debug=value)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    with pytest.raises(TypeError, match="debug"):
        OpenRouter(debug=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False, None])
def test_bool_or_none_debug_is_accepted(value: bool | None) -> None:
    assert OpenRouterCore(debug=value).debug is bool(value)


# --- one debug core, many quiet ones -----------------------------------------------------------------


def test_constructing_a_debug_core_leaves_the_logger_level_alone() -> None:
    logger = logging.getLogger("openrouter")
    before = logger.level
    OpenRouterCore(debug=True)
    assert logger.level == before


def two_cores() -> tuple[OpenRouterCore, OpenRouterCore]:
    debug_core = make_core(Wire(json_response(200, CREDITS_BODY)), debug=True, server_url="https://debug.test/api/v1")
    quiet_core = make_core(Wire(json_response(200, CREDITS_BODY)), server_url="https://quiet.test/api/v1")
    return debug_core, quiet_core


def is_dump(message: str) -> bool:
    return "headers:" in message or "body:" in message


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_debug_core_does_not_make_other_cores_log(
    mode: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    # The application has not asked for openrouter's DEBUG records (no caplog.set_level).
    debug_core, quiet_core = two_cores()

    def call(core: OpenRouterCore) -> None:
        result = credits_get_credits(core) if mode == "sync" else asyncio.run(credits_get_credits_async(core))
        assert result.ok

    for core in (debug_core, quiet_core, debug_core, quiet_core):
        call(core)
    records = [r for r in caplog.records if r.name.startswith("openrouter")]
    stderr = capfd.readouterr().err
    quiet = [r.getMessage() for r in records if "quiet.test" in r.getMessage()]
    assert quiet == [], f"the non-debug core logged: {quiet[:3]}"
    assert "quiet.test" not in stderr
    debug_output = "\n".join(r.getMessage() for r in records) + stderr
    assert "host: debug.test" in debug_output, "the debug core's own dumps went missing"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_quiet_core_never_dumps_even_when_the_app_enables_debug(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="openrouter")
    debug_core, quiet_core = two_cores()
    for core in (debug_core, quiet_core):
        result = credits_get_credits(core) if mode == "sync" else asyncio.run(credits_get_credits_async(core))
        assert result.ok
    quiet = [r.getMessage() for r in caplog.records if "quiet.test" in r.getMessage()]
    assert quiet, "the summary line is expected when the application enables DEBUG"
    assert not [m for m in quiet if is_dump(m)]
    assert not [r for r in caplog.records if is_dump(r.getMessage()) and "host: quiet.test" in r.getMessage()]
