"""OpenRouterCore: options, environment fallbacks, validation, client lifecycle, threads."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

import openrouter_core as orc
from openrouter_core import OpenRouterCore, RequestOptions
from openrouter_funcs.credits_get_credits import credits_get_credits
from tests.helpers import API_KEY, CREDITS_BODY, Wire, json_response, make_core


def owned_core(wire: Wire, **options: object) -> OpenRouterCore:
    """A core with its own (owned) client, whose transport is swapped for the recording one."""
    core = OpenRouterCore(api_key=API_KEY, **options)  # type: ignore[arg-type]
    core._sync().client._transport = httpx.MockTransport(wire)
    return core


def test_defaults() -> None:
    core = OpenRouterCore()
    assert core.server_url == "https://openrouter.ai/api/v1"
    assert core.timeout_ms is orc.NOT_GIVEN  # 60 s for the core's own client; an injected one keeps its own
    assert core.retry_config is orc.NOT_GIVEN
    assert core.debug is False
    assert core.app_headers == {}
    assert core.user_agent.startswith("openrouter-python/")


def test_env_fallbacks_are_read_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://127.0.0.1:9/api/v1/")
    monkeypatch.setenv("OPENROUTER_APP_TITLE", "From Env")
    monkeypatch.setenv("OPENROUTER_DEBUG", "false")
    core = OpenRouterCore()
    assert core.server_url == "http://127.0.0.1:9/api/v1"
    assert core.app_headers == {"x-openrouter-title": "From Env"}
    assert core.debug is False
    assert OpenRouterCore(server_url="https://x.test").server_url == "https://x.test"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        ("yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
        ("off", False),
    ],
)
def test_openrouter_debug_is_a_boolean(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("OPENROUTER_DEBUG", raw)
    assert OpenRouterCore().debug is expected


def test_openrouter_debug_garbage_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_DEBUG", "maybe")
    with pytest.raises(ValueError, match="OPENROUTER_DEBUG"):
        OpenRouterCore()


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "ftp://example.test",
        "/relative/path",
        "https://",
        "https://x.test/v1?q=1",
        "https://user:pw@x.test",
        "https://x.test/v1?",
        "https://x.test:70000",
        42,
    ],
)
def test_bad_server_url_is_an_error_at_construction(url: object) -> None:
    with pytest.raises((TypeError, ValueError), match=r"^server_url: "):
        OpenRouterCore(server_url=url)  # type: ignore[arg-type]


def test_bad_env_base_url_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENROUTER_BASE_URL", "nope")
    with pytest.raises(ValueError, match="OPENROUTER_BASE_URL"):
        OpenRouterCore()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout_ms": 0}, "timeout_ms"),
        ({"timeout_ms": -1}, "timeout_ms"),
        ({"timeout_ms": True}, "timeout_ms"),
        ({"max_response_bytes": 0}, "max_response_bytes"),
        ({"app_title": "bad\r\nX-Injected: 1"}, "app_title"),
        ({"user_agent": "ü"}, "user_agent"),
        ({"debug": "no"}, "debug"),
        ({"debug": 1}, "debug"),
        ({"app_categories": ["a", 1]}, "app_categories"),
    ],
)
def test_bad_options_fail_at_construction_naming_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        OpenRouterCore(**options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"{message}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "options",
    [{"api_key": 12}, {"client": httpx.AsyncClient()}, {"async_client": object()}, {"retry_config": {}}, {"hooks": []}],
)
def test_wrong_types_are_type_errors(options: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        OpenRouterCore(**options)  # type: ignore[arg-type]


def test_timeout_none_means_no_timeout_on_the_cores_own_client() -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    credits_get_credits(owned_core(wire, timeout_ms=None, retry_config=None))
    assert wire.requests[0].extensions["timeout"] == {"connect": None, "read": None, "write": None, "pool": None}


def test_timeout_precedence_per_call_then_core_then_injected_client_then_default() -> None:
    wire = Wire(json_response(200, CREDITS_BODY))
    injected = OpenRouterCore(api_key=API_KEY, client=httpx.Client(transport=httpx.MockTransport(wire), timeout=7))
    credits_get_credits(injected, options=RequestOptions(retries=None))  # the client's own: 7 s
    credits_get_credits(injected, options=RequestOptions(retries=None, timeout_ms=250))  # per call
    core_given = OpenRouterCore(
        api_key=API_KEY, timeout_ms=1500, client=httpx.Client(transport=httpx.MockTransport(wire), timeout=7)
    )
    credits_get_credits(core_given, options=RequestOptions(retries=None))  # the core's, over the client's
    none_given = OpenRouterCore(
        api_key=API_KEY, timeout_ms=None, client=httpx.Client(transport=httpx.MockTransport(wire), timeout=7)
    )
    credits_get_credits(none_given, options=RequestOptions(retries=None))  # None: the SDK adds none; 7 s stays
    credits_get_credits(owned_core(wire), options=RequestOptions(retries=None))  # the default: 60 s
    reads = [r.extensions["timeout"]["read"] for r in wire.requests]
    assert reads == [7.0, 0.25, 1.5, 7.0, 60.0]


def test_repr_never_shows_the_key() -> None:
    core = OpenRouterCore(api_key=API_KEY)
    assert API_KEY not in repr(core)
    assert "api_key=<set>" in repr(core)
    assert "api_key=<unset>" in repr(OpenRouterCore())
    assert "api_key=<callable>" in repr(OpenRouterCore(api_key=lambda: API_KEY))


def test_clients_are_created_lazily_and_only_owned_ones_are_closed() -> None:
    core = OpenRouterCore(api_key=API_KEY)
    assert core._client is None
    assert not core._owned_async
    client = core._sync().client
    assert core._sync().client is client
    core.close()
    assert client.is_closed

    mine = httpx.Client()
    with OpenRouterCore(client=mine) as borrowed:
        assert borrowed._sync().client is mine
    assert not mine.is_closed
    mine.close()


def test_async_context_manager_closes_both_clients() -> None:
    async def main() -> tuple[httpx.Client, httpx.AsyncClient]:
        async with OpenRouterCore(api_key=API_KEY) as core:
            return core._sync().client, core._async().client  # type: ignore[return-value]

    sync_client, async_client = asyncio.run(main())
    assert sync_client.is_closed
    assert async_client.is_closed


def test_injected_async_client_is_not_closed() -> None:
    mine = httpx.AsyncClient()

    async def main() -> None:
        async with OpenRouterCore(async_client=mine) as core:
            assert core._async().client is mine
        assert not mine.is_closed
        await mine.aclose()

    asyncio.run(main())


def test_one_client_is_created_under_concurrent_first_use() -> None:
    core = OpenRouterCore(api_key=API_KEY)
    seen: list[httpx.Client] = []
    barrier = threading.Barrier(8)

    def first_use() -> None:
        barrier.wait(timeout=10)
        seen.append(core._sync().client)  # type: ignore[arg-type]

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(seen) == 8
    assert len({id(c) for c in seen}) == 1
    core.close()


def test_one_core_shared_by_threads_gives_each_call_its_own_answer() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        title = request.headers["x-openrouter-title"]
        return json_response(200, {"data": {"total_credits": float(title), "total_usage": 0}})

    core = make_core(Wire(handler))
    results: dict[int, float] = {}

    def worker(n: int) -> None:
        for i in range(20):
            value = credits_get_credits(core, {"app_title": str(n * 100 + i)}).unwrap()
            results[n * 100 + i] = value.data.total_credits

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {k: float(k) for k in results}
    assert len(results) == 80


def test_cookies_set_by_the_server_are_never_sent_back() -> None:
    wire = Wire(json_response(200, CREDITS_BODY, headers={"set-cookie": "session=abc; Path=/"}))
    core = owned_core(wire, server_url="https://x.test")
    credits_get_credits(core)
    credits_get_credits(core)
    assert "cookie" not in wire.requests[1].headers
    core.close()


def test_one_core_serves_several_event_loops_and_leaks_nothing() -> None:
    from openrouter.testing import FakeOpenRouter
    from openrouter_funcs.credits_get_credits import credits_get_credits_async

    with FakeOpenRouter.serve() as fake:
        core = OpenRouterCore(api_key=API_KEY, server_url=fake.url)
        for _ in range(3):
            assert asyncio.run(credits_get_credits_async(core)).ok
        import gc

        gc.collect()
        assert not core._owned_async  # each loop's client was closed when its loop shut down, then dropped

        async def sync_with_inside_async() -> bool:
            with OpenRouterCore(api_key=API_KEY, server_url=fake.url) as inner:
                return (await credits_get_credits_async(inner)).ok

        assert asyncio.run(sync_with_inside_async())
    import gc

    gc.collect()  # an unclosed socket or transport would warn here, and warnings are errors


@pytest.mark.parametrize("with_extensions", [False, True])
def test_owned_clients_send_exactly_what_build_request_would(with_extensions: bool) -> None:
    """The core builds requests directly for its own clients; the wire must not change."""
    options = RequestOptions(extensions={"trace": None}) if with_extensions else None
    injected = Wire(json_response(200, CREDITS_BODY))
    credits_get_credits(make_core(injected, app_title="T", retry_config=None), {"app_categories": "a,b"}, options)
    owned_wire = Wire(json_response(200, CREDITS_BODY))
    owned = owned_core(owned_wire, app_title="T", retry_config=None, timeout_ms=5000)
    credits_get_credits(owned, {"app_categories": "a,b"}, options)
    owned.close()
    (a,), (b,) = injected.requests, owned_wire.requests
    assert (a.method, str(a.url), a.content) == (b.method, str(b.url), b.content)
    assert sorted(a.headers.multi_items()) == sorted(b.headers.multi_items())
    assert a.extensions == b.extensions
