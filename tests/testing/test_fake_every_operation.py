"""Every operation through the SDK's functions against the fake: ``Ok``, in process and over a socket."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from openrouter.testing import FakeOpenRouter
from openrouter.testing._routes import ROUTES, Route
from openrouter_core import BinaryResponse, OpenRouterCore
from openrouter_funcs._registry import OPERATIONS
from tests.testing._fake_document import sdk_request

IDS = [route.operation_id for route in ROUTES]


def function(route: Route, suffix: str = "") -> Callable[..., Any]:
    info = OPERATIONS[route.operation_id]
    found: Callable[..., Any] = getattr(importlib.import_module(info.module), info.function + suffix)
    return found


def arguments(fake: FakeOpenRouter, route: Route, core: OpenRouterCore) -> list[Any]:
    request = sdk_request(route)
    found = fake.store._roles.get(route.operation_id)
    if found is not None and found[1] in ("get", "update", "delete"):  # an item the fake keeps
        collection = found[0]
        request[collection.key] = fake.store.items(collection.path)[0][collection.key]
    args: list[Any] = [core]
    if "security" in inspect.signature(function(route)).parameters:
        args.append({"bearer": "sk-or-v1-user"} if route.security == "bearer" else None)
    return [*args, request]


def test_every_route_has_an_sdk_function() -> None:
    assert {route.operation_id for route in ROUTES} == set(OPERATIONS)
    assert all(OPERATIONS[route.operation_id].function == route.function for route in ROUTES)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the Coinbase charge is deprecated
@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_every_operation_is_ok_in_process(route: Route) -> None:
    with FakeOpenRouter() as fake:
        result = function(route)(*arguments(fake, route, fake.core()))
        assert result.ok, result.error
        if route.answer == "binary":
            assert isinstance(result.value, BinaryResponse)
            with result.value as download:
                assert download.read().unwrap()
        assert fake.last_request.operation == route.operation_id


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter.serve() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_leaked_server_threads() -> None:
    """The module's server lives across its tests (the conftest's per-test thread check would fail)."""


@pytest.mark.anyio
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("route", ROUTES, ids=IDS)
async def test_every_operation_is_ok_async_over_a_socket(server: FakeOpenRouter, route: Route) -> None:
    server.reset()
    with server.core() as core:
        result = await function(route, "_async")(*arguments(server, route, core))
        assert result.ok, result.error
        if route.answer == "binary":
            async with result.value as download:
                assert (await download.aread()).unwrap()
