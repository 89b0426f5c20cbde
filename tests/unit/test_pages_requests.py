"""Pages from every kind of request: a dict, a request model, and something that is no request at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import openrouter_core as orc
from openrouter.testing import FakeOpenRouter
from openrouter_funcs import workspaces_list as module
from openrouter_funcs.models.ops.workspaces_list import ListWorkspacesRequest
from openrouter_funcs.workspaces_list import workspaces_list_pages, workspaces_list_pages_async


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        client = fake.client()
        for number in range(4):
            client.workspaces.create({"name": f"team {number}", "slug": f"team-{number}"})
        yield fake


def offsets(fake: FakeOpenRouter, since: int = 0) -> list[str | None]:
    return [request.params().get("offset") for request in fake.requests_for("listWorkspaces")[since:]]


def test_a_request_model_pages_like_its_dict(fake: FakeOpenRouter) -> None:
    client = fake.client()
    from_dict = [item.id for page in client.workspaces.list_pages({"limit": 2}) for item in page.data]
    dict_offsets = offsets(fake)
    sent = len(dict_offsets)
    from_model = [
        item.id for page in client.workspaces.list_pages(ListWorkspacesRequest(limit=2)) for item in page.data
    ]
    assert from_model == from_dict
    assert len(set(from_model)) == len(from_model) >= 4
    assert offsets(fake, since=sent) == dict_offsets
    assert dict_offsets[:3] == [None, "2", "4"]


def test_what_is_no_request_is_one_err_and_no_more_pages(fake: FakeOpenRouter) -> None:
    results = list(workspaces_list_pages(fake.core(), 42))  # type: ignore[arg-type]
    assert len(results) == 1
    assert isinstance(results[0].error, orc.SDKValidationError)
    with pytest.raises(orc.SDKValidationError):
        list(fake.client().workspaces.list_pages(42))  # type: ignore[arg-type]
    assert offsets(fake) == []  # nothing was sent


@pytest.mark.anyio
async def test_what_is_no_request_is_one_err_and_no_more_pages_async(fake: FakeOpenRouter) -> None:
    results = [result async for result in workspaces_list_pages_async(fake.core(), "limit=2")]  # type: ignore[arg-type]
    assert len(results) == 1
    assert isinstance(results[0].error, orc.SDKValidationError)
    model_pages = [page async for page in fake.client().workspaces.list_pages_async(ListWorkspacesRequest(limit=3))]
    assert [len(page.data) for page in model_pages][:2] == [3, 2]


def test_an_operation_shows_its_id_method_and_path() -> None:
    assert repr(module.OPERATION) == "Operation('listWorkspaces', GET /workspaces)"
