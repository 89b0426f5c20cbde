"""Every facade method (``client.<namespace>.<method>``, sync and async, pages too) against the fake.

Each method must give back exactly what its standalone function's ``Ok`` holds (a stream or a
download as its raising variant) and raise the very class of error the function's ``Err`` holds.
The valid requests come from ``test_fake_every_operation`` (the API document's examples).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import openrouter_core as orc
from openrouter import OpenRouter
from openrouter.testing import FakeOpenRouter, FakeResponse
from openrouter.testing._routes import ROUTES, Route
from openrouter_core._serde import to_json
from openrouter_funcs._registry import HELPERS, OPERATIONS
from tests.testing.test_fake_every_operation import IDS, arguments, function

PAGED = [route for route in ROUTES if OPERATIONS[route.operation_id].paginated]
STREAMING = [route for route in ROUTES if OPERATIONS[route.operation_id].streaming]

# What the facade turns each kind of open value of a function into.
RAISING: dict[type, type] = {
    orc.Stream: orc.RaisingStream,
    orc.AsyncStream: orc.AsyncRaisingStream,
    orc.BinaryResponse: orc.RaisingBinaryResponse,
    orc.AsyncBinaryResponse: orc.AsyncRaisingBinaryResponse,
}


def facade(client: OpenRouter, route: Route, suffix: str = "") -> Callable[..., Any]:
    """``client.<facade path><suffix>``, e.g. ``client.api_keys.list_async``."""
    *namespaces, method = OPERATIONS[route.operation_id].facade.split(".")
    owner = functools.reduce(getattr, namespaces, client)
    found: Callable[..., Any] = getattr(owner, method + suffix)
    return found


def deprecated(route: Route) -> bool:
    module = importlib.import_module(OPERATIONS[route.operation_id].module)
    return bool(module.OPERATION.deprecated)


def warns_if_deprecated(route: Route) -> contextlib.AbstractContextManager[object]:
    if deprecated(route):
        return pytest.warns(DeprecationWarning, match="deprecated")
    return contextlib.nullcontext()


def facade_args(fake: FakeOpenRouter, route: Route, client: OpenRouter, **fields: Any) -> list[Any]:
    """The facade's arguments: the function's, without the core (``security`` first when it has one)."""
    args = arguments(fake, route, client)[1:]
    args[-1].update(fields)
    return args


def expected_value(route: Route, **fields: Any) -> Any:
    """What the standalone function's ``Ok`` holds for the same valid request, on a fresh fake."""
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        args = arguments(fake, route, fake.core())
        args[-1].update(fields)
        result = function(route)(*args)
        assert result.ok, result.error
        value = result.value
        if isinstance(value, orc.BinaryResponse):
            with value:
                return value.read().unwrap()
        if isinstance(value, orc.Stream):
            value.close()
        return value


async def expected_value_async(route: Route, **fields: Any) -> Any:
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        args = arguments(fake, route, fake.core())
        args[-1].update(fields)
        result = await function(route, "_async")(*args)
        assert result.ok, result.error
        value = result.value
        if isinstance(value, orc.AsyncBinaryResponse):
            async with value:
                return (await value.aread()).unwrap()
        if isinstance(value, orc.AsyncStream):
            await value.aclose()
        return value


def expected_error(route: Route) -> type[BaseException]:
    """The class of the function's ``Err`` when the API answers ``404``."""
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        fake.queue(route.operation_id, FakeResponse.error(404, "no such thing"))
        result = function(route)(*arguments(fake, route, fake.core()))
        assert not result.ok
        return type(result.error)


TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def stable(value: Any) -> Any:
    """A value as JSON with the fake's clock readings (``created_at``, ...) left out."""
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items() if not TIMESTAMP.match(str(item))}
    if isinstance(value, list):
        return [stable(item) for item in value]
    return value


def same(value: Any, expected: Any) -> bool:
    return type(value) is type(expected) and stable(to_json(value)) == stable(to_json(expected))


def check_value(route: Route, value: Any, expected: Any) -> None:
    if route.answer == "binary":
        assert isinstance(value, orc.RaisingBinaryResponse)
        with value:
            assert value.read() == expected
    else:
        assert same(value, expected)


# --- every operation, one value ------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_every_facade_method_returns_the_functions_value(route: Route) -> None:
    expected = expected_value(route)
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        client = fake.client()
        value = facade(client, route)(*facade_args(fake, route, client))
        check_value(route, value, expected)
        assert fake.last_request.operation == route.operation_id


@pytest.mark.anyio
@pytest.mark.parametrize("route", ROUTES, ids=IDS)
async def test_every_async_facade_method_returns_the_functions_value(route: Route) -> None:
    expected = await expected_value_async(route)
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        client = fake.client()
        value = await facade(client, route, "_async")(*facade_args(fake, route, client))
        if route.answer == "binary":
            assert isinstance(value, orc.AsyncRaisingBinaryResponse)
            async with value:
                assert await value.aread() == expected
        else:
            check_value(route, value, expected)
        assert fake.last_request.operation == route.operation_id


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_every_facade_method_raises_the_functions_error(route: Route) -> None:
    error = expected_error(route)
    assert issubclass(error, orc.OpenRouterSDKError)
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        client = fake.client()
        fake.queue(route.operation_id, FakeResponse.error(404, "no such thing"))
        with pytest.raises(orc.OpenRouterSDKError, match="no such thing") as raised:
            facade(client, route)(*facade_args(fake, route, client))
        assert type(raised.value) is error
        assert fake.pending == 0


@pytest.mark.anyio
@pytest.mark.parametrize("route", ROUTES, ids=IDS)
async def test_every_async_facade_method_raises_the_functions_error(route: Route) -> None:
    error = expected_error(route)
    with FakeOpenRouter() as fake, warns_if_deprecated(route):
        client = fake.client()
        fake.queue(route.operation_id, FakeResponse.error(404, "no such thing"))
        with pytest.raises(orc.OpenRouterSDKError, match="no such thing") as raised:
            await facade(client, route, "_async")(*facade_args(fake, route, client))
        assert type(raised.value) is error


def test_every_operation_and_helper_has_its_facade_method() -> None:
    client = OpenRouter(api_key="sk-or-v1-unused")
    for route in ROUTES:
        assert callable(facade(client, route)), route.operation_id
        assert callable(facade(client, route, "_async")), route.operation_id
        if OPERATIONS[route.operation_id].paginated:
            assert callable(facade(client, route, "_pages")), route.operation_id
            assert callable(facade(client, route, "_pages_async")), route.operation_id
    for path in HELPERS.values():
        namespace, method = path.split(".")
        assert callable(getattr(getattr(client, namespace), method)), path


# --- streams -------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", STREAMING, ids=[route.operation_id for route in STREAMING])
def test_streaming_facade_methods_return_raising_streams(route: Route) -> None:
    with FakeOpenRouter() as fake:
        client = fake.client()
        stream = facade(client, route)(*facade_args(fake, route, client, stream=True))
        assert isinstance(stream, orc.RaisingStream)
        with stream:
            events = list(stream)
        assert events
        assert fake.last_request.json()["stream"] is True


@pytest.mark.anyio
@pytest.mark.parametrize("route", STREAMING, ids=[route.operation_id for route in STREAMING])
async def test_async_streaming_facade_methods_return_async_raising_streams(route: Route) -> None:
    with FakeOpenRouter() as fake:
        client = fake.client()
        stream = await facade(client, route, "_async")(*facade_args(fake, route, client, stream=True))
        assert isinstance(stream, orc.AsyncRaisingStream)
        async with stream:
            events = [event async for event in stream]
        assert events


@pytest.mark.parametrize("route", STREAMING, ids=[route.operation_id for route in STREAMING])
def test_streaming_facade_methods_raise_before_the_stream(route: Route) -> None:
    with FakeOpenRouter() as fake:
        client = fake.client()
        fake.queue(route.operation_id, FakeResponse.error(404, "no such model"))
        with pytest.raises(orc.OpenRouterSDKError, match="no such model"):
            facade(client, route)(*facade_args(fake, route, client, stream=True))


# --- pages ---------------------------------------------------------------------------------------


def _pages(fake: FakeOpenRouter, route: Route, **fields: Any) -> Iterator[Any]:
    client = fake.client()
    pages: Iterator[Any] = facade(client, route, "_pages")(*facade_args(fake, route, client, **fields))
    return pages


@pytest.mark.parametrize("route", PAGED, ids=[route.operation_id for route in PAGED])
def test_every_pages_facade_method_yields_the_functions_values(route: Route) -> None:
    expected = expected_value(route)
    with FakeOpenRouter() as fake:
        pages = list(_pages(fake, route))
    assert 1 <= len(pages) <= 50
    assert all(type(page) is type(expected) for page in pages)
    assert same(pages[0], expected)


@pytest.mark.anyio
@pytest.mark.parametrize("route", PAGED, ids=[route.operation_id for route in PAGED])
async def test_every_async_pages_facade_method_yields_the_functions_values(route: Route) -> None:
    expected = await expected_value_async(route)
    with FakeOpenRouter() as fake:
        client = fake.client()
        pages = [page async for page in facade(client, route, "_pages_async")(*facade_args(fake, route, client))]
    assert 1 <= len(pages) <= 50
    assert all(type(page) is type(expected) for page in pages)
    assert same(pages[0], expected)


@pytest.mark.parametrize("route", PAGED, ids=[route.operation_id for route in PAGED])
def test_every_pages_facade_method_raises_the_first_error(route: Route) -> None:
    error = expected_error(route)
    with FakeOpenRouter() as fake:
        fake.queue(route.operation_id, FakeResponse.error(404, "no such page"))
        pages = _pages(fake, route)
        with pytest.raises(orc.OpenRouterSDKError, match="no such page") as raised:
            next(pages)
        assert type(raised.value) is error
        assert list(pages) == []  # nothing after the error


@pytest.mark.anyio
@pytest.mark.parametrize("route", PAGED, ids=[route.operation_id for route in PAGED])
async def test_every_async_pages_facade_method_raises_the_first_error(route: Route) -> None:
    error = expected_error(route)
    with FakeOpenRouter() as fake:
        client = fake.client()
        fake.queue(route.operation_id, FakeResponse.error(404, "no such page"))
        pages = facade(client, route, "_pages_async")(*facade_args(fake, route, client))
        with pytest.raises(orc.OpenRouterSDKError, match="no such page") as raised:
            await pages.__anext__()
        assert type(raised.value) is error


def test_pages_follow_the_offset_through_the_fakes_collection() -> None:
    with FakeOpenRouter() as fake:
        client = fake.client()
        for number in range(3):
            client.workspaces.create({"name": f"team {number}", "slug": f"team-{number}"})
        everything = client.workspaces.list().data
        pages = list(client.workspaces.list_pages({"limit": 2}))
        offsets = [request.params().get("offset") for request in fake.requests if request.operation == "listWorkspaces"]
    assert len(everything) >= 3
    assert [len(page.data) for page in pages][:-1] == [2] * (len(pages) - 1)
    assert [item.id for page in pages for item in page.data] == [item.id for item in everything]
    assert offsets[1:] == [None, *(str(offset) for offset in range(2, len(everything) + 1, 2))]


# --- helpers and deprecated namespaces -----------------------------------------------------------


def test_helper_facade_methods_give_the_functions_values() -> None:
    from openrouter_funcs.oauth_create_authorization_url import oauth_create_authorization_url
    from openrouter_funcs.oauth_create_sha256_code_challenge import oauth_create_sha256_code_challenge

    client = OpenRouter(api_key="sk-or-v1-unused", server_url="https://example.test/api/v1")
    request = {"callback_url": "https://app.test/callback", "limit": 5}
    url = client.oauth.create_authorization_url(request)
    assert url == oauth_create_authorization_url(client, request).unwrap()
    assert url.startswith("https://example.test/auth?callback_url=")
    verifier = {"code_verifier": "v" * 43}
    challenge = client.oauth.create_sha256_code_challenge(verifier)
    assert challenge == oauth_create_sha256_code_challenge(verifier).unwrap()
    assert challenge.code_verifier == "v" * 43
    with pytest.raises(orc.SDKValidationError):
        client.oauth.create_sha256_code_challenge({"code_verifier": "short"})
    with pytest.raises(orc.SDKValidationError):
        client.oauth.create_authorization_url({"callback_url": 5})


BETA = "beta_responses_send is deprecated"


def _responses_request(fake: FakeOpenRouter, client: OpenRouter, **fields: Any) -> dict[str, Any]:
    route = next(route for route in ROUTES if route.operation_id == "createResponses")
    request: dict[str, Any] = facade_args(fake, route, client, **fields)[-1]
    return request


def test_beta_responses_warn_then_do_what_responses_do() -> None:
    with FakeOpenRouter() as fake:
        client = fake.client()
        assert client.beta.responses is client.beta.responses
        expected = client.responses.send(_responses_request(fake, client))
        with pytest.warns(DeprecationWarning, match=BETA) as caught:
            value = client.beta.responses.send(_responses_request(fake, client))
        assert caught[0].filename == __file__
        assert type(value) is type(expected)
        with pytest.warns(DeprecationWarning, match=BETA):
            stream = client.beta.responses.send(_responses_request(fake, client, stream=True))
        assert isinstance(stream, orc.RaisingStream)
        with stream:
            assert type(stream.collect()) is type(expected)
        fake.queue("createResponses", FakeResponse.error(404, "gone away"))
        with pytest.warns(DeprecationWarning, match=BETA), pytest.raises(orc.NotFoundResponseError, match="gone away"):
            client.beta.responses.send(_responses_request(fake, client))


@pytest.mark.anyio
async def test_async_beta_responses_warn_then_do_what_responses_do() -> None:
    with FakeOpenRouter() as fake:
        client = fake.client()
        expected = await client.responses.send_async(_responses_request(fake, client))
        with pytest.warns(DeprecationWarning, match=BETA):
            value = await client.beta.responses.send_async(_responses_request(fake, client))
        assert type(value) is type(expected)
        with pytest.warns(DeprecationWarning, match=BETA):
            stream = await client.beta.responses.send_async(_responses_request(fake, client, stream=True))
        assert isinstance(stream, orc.AsyncRaisingStream)
        async with stream:
            assert type(await stream.collect()) is type(expected)
        fake.queue("createResponses", FakeResponse.error(404, "gone away"))
        with pytest.warns(DeprecationWarning, match=BETA), pytest.raises(orc.NotFoundResponseError, match="gone away"):
            await client.beta.responses.send_async(_responses_request(fake, client))
