"""What the fake remembers: the things the API lets you create (keys, workspaces, guardrails, ...).

Each collection of the generated ``COLLECTIONS`` (a path with a ``POST`` answering 201, a list, and
``get``/``update``/``delete`` at ``<path>/{key}``) starts with the items of the document's examples.
A create adds an item (the document's example item, with the request's fields where they are valid
for it, and a fresh key); get, update and delete find it by key (404 when there is none); the list
filters by the query parameters that name item fields and pages with ``offset`` and ``limit``.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import re
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from openrouter.testing import _data
from openrouter.testing._answers import iso, paginate
from openrouter.testing._checks import Call, validator
from openrouter.testing._responses import FakeResponse
from openrouter.testing._routes import COLLECTIONS, Collection

__all__ = ["Store"]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_HEX = re.compile(r"[0-9a-f]{8,64}", re.IGNORECASE)
_PAGING = frozenset({"offset", "limit", "cursor", "include_disabled"})
_KEY_NAMESPACE = uuid.UUID("6f8a0a56-1d64-4c3b-9d0e-4f7c7b1b8b1e")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class _Kept:
    """One collection's items, in creation order."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection
        self.items: dict[str, dict[str, Any]] = {}
        get_answer = _data.operation(collection.get).get("answer") or {}
        created = (_data.operation(collection.create).get("answer") or {}).get("data")
        self.template: dict[str, Any] = copy.deepcopy(get_answer.get("data") or {})
        # A new item starts as the document's created one (no usage yet), when it is a valid item.
        self.fresh: dict[str, Any] = copy.deepcopy(created) if isinstance(created, dict) else self.template
        schema = _data.operation(collection.get).get("schema") or {}
        properties = validator().resolve(schema).get("properties") or {}
        self.item_schema: Mapping[str, Any] = properties.get("data") or {}
        params = _data.operation(collection.list).get("params") or ()
        self.filters = {name for location, name, _, _ in params if location == "query"} - _PAGING
        self.hides_disabled = any(name == "include_disabled" for _, name, _, _ in params)
        listed = (_data.operation(collection.list).get("answer") or {}).get("data") or []
        for item in [*listed, self.template]:
            key = item.get(collection.key) if isinstance(item, dict) else None
            if isinstance(key, str) and key not in self.items:
                self.items[key] = copy.deepcopy(item)

    def valid(self, item: dict[str, Any]) -> bool:
        return not validator().problems(item, self.item_schema)

    def merged(self, item: dict[str, Any], fields: Any) -> dict[str, Any]:
        """``item`` with each of ``fields`` that keeps it valid (the key never changes)."""
        if not isinstance(fields, dict):
            return item
        for name, value in fields.items():
            if name == self.collection.key or name not in item:
                continue
            candidate = {**item, name: copy.deepcopy(value)}
            if self.valid(candidate):
                item = candidate
        return item

    def stamped(self, item: dict[str, Any], name: str, moment: str | None) -> dict[str, Any]:
        if name in item:
            candidate = {**item, name: moment}
            if self.valid(candidate):
                return candidate
        return item


class Store:
    """The fake's collections; thread-safe; empty until first used (the data file loads then)."""

    def __init__(self, collections: tuple[Collection, ...] = COLLECTIONS) -> None:
        self._roles: dict[str, tuple[Collection, str]] = {}
        for collection in collections:
            for role in ("create", "list", "get", "update", "delete"):
                operation = getattr(collection, role)
                if operation is not None:
                    self._roles[operation] = (collection, role)
        self._lock = threading.Lock()
        self._kept: dict[str, _Kept] = {}
        self._created = 0

    def reset(self) -> None:
        """Forget every change: the collections start again from the document's examples."""
        with self._lock:
            self._kept.clear()

    def items(self, path: str) -> list[dict[str, Any]]:
        """A copy of the items of the collection at ``path`` (``"/keys"``), oldest first."""
        collection = next((c for c, _ in self._roles.values() if c.path == path), None)
        if collection is None:
            raise KeyError(
                f"no collection at {path!r}; collections: {sorted({c.path for c, _ in self._roles.values()})}"
            )
        with self._lock:
            return copy.deepcopy(list(self._collection(collection).items.values()))

    def _collection(self, collection: Collection) -> _Kept:
        kept = self._kept.get(collection.path)
        if kept is None:
            kept = self._kept[collection.path] = _Kept(collection)
        return kept

    def answer(self, call: Call) -> FakeResponse | None:
        """The answer to a call on a collection, or ``None`` when the operation is not one."""
        found = self._roles.get(call.route.operation_id)
        if found is None:
            return None
        collection, role = found
        now = iso(datetime.datetime.now(datetime.timezone.utc))
        with self._lock:
            kept = self._collection(collection)
            if role == "create":
                return self._create(kept, call, now)
            if role == "list":
                return self._list(kept, call)
            key = call.path.get(collection.key, "")
            item = kept.items.get(key)
            if item is None:
                return FakeResponse.error(404)
            if role == "update":
                item = kept.stamped(kept.merged(item, call.body), "updated_at", now)
                kept.items[key] = item
            elif role == "delete":
                del kept.items[key]
                return FakeResponse(status=call.route.status, json=_data.operation(call.route.operation_id)["answer"])
            return FakeResponse(status=call.route.status, json=_with_data(call, item))

    def _create(self, kept: _Kept, call: Call, now: str) -> FakeResponse:
        self._created += 1
        key = _new_key(kept.template.get(kept.collection.key), f"{kept.collection.path}:{self._created}")
        base = kept.fresh if kept.valid(kept.fresh) else kept.template
        item = kept.merged({**copy.deepcopy(base), kept.collection.key: key}, call.body)
        item = kept.stamped(kept.stamped(item, "created_at", now), "updated_at", None)
        kept.items[key] = item
        body = _with_data(call, item)
        if isinstance(body.get("key"), str):  # a created API key comes with its secret, shown once
            body["key"] = "sk-or-v1-" + hashlib.sha256(f"secret:{key}".encode()).hexdigest()
        return FakeResponse(status=call.route.status, json=body)

    def _list(self, kept: _Kept, call: Call) -> FakeResponse:
        items = list(kept.items.values())
        for name, value in call.query.items():
            if name in kept.filters and value != "":
                items = [item for item in items if name not in item or _text(item[name]) == value]
        if kept.hides_disabled and call.query.get("include_disabled", "false").lower() != "true":
            items = [item for item in items if item.get("disabled") is not True]
        body = copy.deepcopy(_data.operation(call.route.operation_id).get("answer") or {})
        body["data"] = copy.deepcopy(paginate(items, call))
        if isinstance(body.get("total_count"), int):
            body["total_count"] = len(items)
        return FakeResponse(status=call.route.status, json=body)


def _with_data(call: Call, item: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(_data.operation(call.route.operation_id).get("answer") or {})
    body["data"] = copy.deepcopy(item)
    return body


def _new_key(template: Any, seed: str) -> str:
    """A fresh key shaped like the document's (a UUID, a hex digest, or the example with a suffix)."""
    text = str(template or "")
    if _UUID.fullmatch(text):
        return str(uuid.uuid5(_KEY_NAMESPACE, seed))
    if _HEX.fullmatch(text):
        return hashlib.sha256(seed.encode()).hexdigest()[: len(text)]
    return f"{text or 'item'}-{hashlib.sha256(seed.encode()).hexdigest()[:8]}"
