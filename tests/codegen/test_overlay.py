"""The overlay format of openapi/overlay.yaml: set, remove, and loud failures."""

from __future__ import annotations

from typing import Any

import pytest

from tools.codegen.document import DocumentError, apply_overlay


def document() -> dict[str, Any]:
    return {"paths": {"/a/b": {"post": {"security": [], "responses": {"200": {"description": "x"}}}}}}


def test_set_replaces_or_creates_and_remove_deletes() -> None:
    doc = document()
    apply_overlay(
        doc,
        {
            "actions": [
                {"why": "w", "path": ["paths", "/a/b", "post", "security"], "set": [{"bearer": []}]},
                {"why": "w", "path": ["paths", "/a/b", "post", "x-new"], "set": {"k": 1}},
                {"why": "w", "path": ["paths", "/a/b", "post", "responses", "200"], "remove": True},
            ]
        },
    )
    assert doc["paths"]["/a/b"]["post"] == {"security": [{"bearer": []}], "responses": {}, "x-new": {"k": 1}}


@pytest.mark.parametrize(
    "action",
    [
        {"path": ["paths"], "set": 1},  # no why
        {"why": "w", "path": ["paths", "/missing", "post"], "set": 1},
        {"why": "w", "path": ["paths", "/a/b", "post", "nothing"], "remove": True},
        {"why": "w", "path": ["paths", "/a/b"], "set": 1, "remove": True},
        {"why": "w", "path": [], "set": 1},
    ],
)
def test_bad_actions_fail_loudly(action: dict[str, Any]) -> None:
    with pytest.raises(DocumentError):
        apply_overlay(document(), {"actions": [action]})


def test_the_overlay_set_values_are_copies() -> None:
    value = {"nested": [1]}
    doc = document()
    apply_overlay(doc, {"actions": [{"why": "w", "path": ["paths", "/a/b", "x"], "set": value}]})
    value["nested"].append(2)
    assert doc["paths"]["/a/b"]["x"] == {"nested": [1]}
