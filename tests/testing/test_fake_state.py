"""What the fake keeps: created keys, workspaces, guardrails (and the other collections) can be fetched,
listed with working pagination, updated and deleted; every answer stays valid against the document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openrouter.testing import IN_PROCESS_URL, FakeOpenRouter
from openrouter.testing._router import router
from openrouter.testing._routes import COLLECTIONS, Collection
from openrouter_core import NotFoundResponseError
from tests.testing._fake_document import success_schema, valid_body, validate

AUTH = {"Authorization": "Bearer sk-or-v1-state"}


@pytest.fixture
def fake() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        yield fake


def test_the_collections_come_from_the_document() -> None:
    assert [collection.path for collection in COLLECTIONS] == [
        "/byok",
        "/guardrails",
        "/keys",
        "/observability/destinations",
        "/scim/group-mappings",
        "/workspaces",
    ]


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda collection: collection.path)
def test_create_get_list_update_delete(fake: FakeOpenRouter, collection: Collection) -> None:
    def call(operation: str, path: str, body: Any = None, **query: Any) -> Any:
        route = router().by_id[operation]
        with httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as http:
            response = http.request(route.method, path, headers=AUTH, params=query, json=body)
        assert response.status_code == route.status, response.text
        validate(response.json(), success_schema(operation))
        return response.json()

    seeded = len(fake.store.items(collection.path))
    created = call(collection.create, collection.path, valid_body(router().by_id[collection.create]))
    key = created["data"][collection.key]
    assert key not in {item[collection.key] for item in fake.store.items(collection.path)[:seeded]}
    item = f"{collection.path}/{key}"
    assert call(collection.get, item)["data"] == created["data"]
    listed = call(collection.list, collection.path)["data"]
    assert [entry[collection.key] for entry in listed][-1] == key
    assert len(listed) == seeded + 1
    if collection.update is not None:
        updated = call(collection.update, item, {**valid_body(router().by_id[collection.update]), "name": "renamed"})
        assert updated["data"].get("name", "renamed") == "renamed"
        assert call(collection.get, item)["data"] == updated["data"]
    if collection.delete is not None:
        keep = {"keep_members": "false"}  # required by the SCIM mapping's delete, ignored by the others
        call(collection.delete, item, **keep)
        with httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as http:
            assert http.get(item, headers=AUTH).status_code == 404
            assert http.delete(item, headers=AUTH, params=keep).status_code == 404
        assert len(call(collection.list, collection.path)["data"]) == seeded


def test_keys_through_the_sdk(fake: FakeOpenRouter) -> None:
    from openrouter_funcs.api_keys_create import api_keys_create
    from openrouter_funcs.api_keys_delete import api_keys_delete
    from openrouter_funcs.api_keys_get import api_keys_get
    from openrouter_funcs.api_keys_list import api_keys_list
    from openrouter_funcs.api_keys_update import api_keys_update

    with fake.core() as core:
        created = api_keys_create(core, {"name": "CI key", "limit": 25}).unwrap()
        assert created.key.startswith("sk-or-v1-")
        assert (created.data.name, created.data.limit, created.data.usage) == ("CI key", 25, 0)
        key_hash = created.data.hash
        assert api_keys_get(core, {"hash": key_hash}).unwrap().data.name == "CI key"
        assert key_hash in [key.hash for key in api_keys_list(core).unwrap().data]
        api_keys_update(core, {"hash": key_hash, "disabled": True}).unwrap()
        assert key_hash not in [key.hash for key in api_keys_list(core).unwrap().data]
        assert key_hash in [key.hash for key in api_keys_list(core, {"include_disabled": True}).unwrap().data]
        assert api_keys_delete(core, {"hash": key_hash}).unwrap().deleted is True
        missing = api_keys_get(core, {"hash": key_hash})
        assert not missing.ok
        assert isinstance(missing.error, NotFoundResponseError)


def test_workspace_pages_through_the_sdk(fake: FakeOpenRouter) -> None:
    from openrouter_funcs.workspaces_create import workspaces_create
    from openrouter_funcs.workspaces_list import workspaces_list, workspaces_list_pages

    with fake.core() as core:
        for number in range(7):
            workspaces_create(core, {"name": f"Team {number}", "slug": f"team-{number}"}).unwrap()
        page = workspaces_list(core, {"offset": 2, "limit": 3}).unwrap()
        assert [workspace.name for workspace in page.data] == ["Team 1", "Team 2", "Team 3"]
        assert page.total_count == 8  # the document's example workspace, then the seven
        names = [w.name for result in workspaces_list_pages(core, {"limit": 3}) for w in result.unwrap().data]
        assert names == ["Production", *(f"Team {number}" for number in range(7))]


@pytest.mark.anyio
async def test_guardrails_through_the_async_client(fake: FakeOpenRouter) -> None:
    async with fake.client() as client:
        created = await client.guardrails.create_async({"name": "Budget", "limit_usd": 5})
        fetched = await client.guardrails.get_async({"id": created.data.id})
        assert (fetched.data.name, fetched.data.limit_usd) == ("Budget", 5)
        await client.guardrails.update_async({"id": created.data.id, "description": "five dollars"})
        listed = await client.guardrails.list_async()
        assert [g.description for g in listed.data if g.id == created.data.id] == ["five dollars"]
        await client.guardrails.delete_async({"id": created.data.id})
        with pytest.raises(NotFoundResponseError):
            await client.guardrails.get_async({"id": created.data.id})


def test_fields_that_do_not_fit_the_item_are_not_kept(fake: FakeOpenRouter) -> None:
    with httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as http:
        created = http.post("/keys", headers=AUTH, json={"name": "k", "workspace_id": "w-1"}).json()["data"]
        assert created["workspace_id"] == "w-1"
        listed = http.get("/keys", headers=AUTH, params={"workspace_id": "w-1"}).json()["data"]
    assert [key["hash"] for key in listed] == [created["hash"]]


def test_reset_starts_the_collections_again(fake: FakeOpenRouter) -> None:
    with httpx.Client(transport=fake.transport(), base_url=IN_PROCESS_URL) as http:
        http.post("/workspaces", headers=AUTH, json={"name": "A", "slug": "a"})
        assert len(json.loads(http.get("/workspaces", headers=AUTH).content)["data"]) == 2
        fake.reset()
        assert len(json.loads(http.get("/workspaces", headers=AUTH).content)["data"]) == 1
    with pytest.raises(KeyError, match="no collection at '/nope'"):
        fake.store.items("/nope")
