"""Synthetic operations and their models: the runtime tested once, independent of any real operation.

Each model is a plain frozen attrs class like the generated ones (wire renames, markers, UNSET), and
each Operation is what the generator would write for an operation of that shape.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import attrs

from openrouter_core._operation import Operation, Pages, StreamSpec
from openrouter_core._schema import UNSET, FileInput, Ge, Le, MinLength, OneOf, Unset, wire


@attrs.frozen(kw_only=True)
class AppHeaders:
    http_referer: str | None = None
    app_title: str | None = None
    app_categories: str | list[str] | None = None


@attrs.frozen(kw_only=True)
class GetItemRequest(AppHeaders):
    author: Annotated[str, MinLength(1)]
    slug: Annotated[str, MinLength(1)]
    limit: Annotated[int, Ge(1), Le(100)] | None = None
    offset: Annotated[int, Ge(0)] | None = None
    verbose: bool | None = None
    x_trace: str | None = attrs.field(default=None)


@attrs.frozen(kw_only=True)
class Item:
    id: str
    name: str
    tags: list[str] | None = None
    note: str | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class ItemResponse:
    data: Item


GET_ITEM = Operation(
    "getItem",
    "GET",
    "/items/{author}/{slug}",
    request=GetItemRequest,
    path_params=("author", "slug"),
    query=("limit", "offset", "verbose"),
    headers=(("x_trace", "X-Trace"),),
    responses={200: ("json", ItemResponse)},  # type: ignore[dict-item]
    errors=(404, 500),
)


@attrs.frozen(kw_only=True)
class CreateItemRequest(AppHeaders):
    name: Annotated[str, MinLength(1)]
    kind: Literal["a", "b"] | str
    count: Annotated[int, Ge(0)] | None = None
    base_url: str | None = attrs.field(default=None, metadata=wire("baseUrl"))


CREATE_ITEM = Operation(
    "createItem",
    "POST",
    "/items",
    request=CreateItemRequest,
    body="json",
    responses={201: ("json", ItemResponse)},  # type: ignore[dict-item]
    errors=(400,),
)


@attrs.frozen(kw_only=True)
class UpdateItemRequest(AppHeaders):
    id: str
    name: str | None = None
    note: str | Unset | None = UNSET
    limits: list[int] | Unset | None = UNSET


UPDATE_ITEM = Operation(
    "updateItem",
    "PATCH",
    "/items/{id}",
    request=UpdateItemRequest,
    body="json",
    path_params=("id",),
    responses={200: ("json", ItemResponse)},  # type: ignore[dict-item]
)


@attrs.frozen(kw_only=True)
class PingRequest(AppHeaders):
    pass


PING = Operation("ping", "POST", "/ping", request=PingRequest, body="json", responses={200: ("empty", None)})

DOWNLOAD = Operation(
    "download",
    "GET",
    "/files/{file_id}/content",
    request=attrs.make_class("DownloadRequest", {"file_id": attrs.field(type=str)}, frozen=True, kw_only=True),
    path_params=("file_id",),
    responses={200: ("binary", None)},
)


@attrs.frozen(kw_only=True)
class UploadRequest(AppHeaders):
    file: FileInput
    purpose: str | None = None
    granularities: list[Literal["word", "segment"]] | None = attrs.field(
        default=None, metadata=wire("timestamp_granularities[]")
    )


UPLOAD = Operation(
    "upload",
    "POST",
    "/files",
    request=UploadRequest,
    body="multipart",
    responses={200: ("json", ItemResponse)},  # type: ignore[dict-item]
)


@attrs.frozen(kw_only=True)
class Delta:
    content: str | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class Chunk:
    id: str
    delta: Delta
    type: Literal["chunk"] = "chunk"


@attrs.frozen(kw_only=True)
class Done:
    id: str
    text: str
    type: Literal["done"] = "done"


Event = OneOf("Event", members=("Chunk", "Done"), discriminator="type", mapping={"chunk": "Chunk", "done": "Done"})


@attrs.frozen(kw_only=True)
class Completion:
    id: str
    text: str


@attrs.frozen(kw_only=True)
class CompleteRequest(AppHeaders):
    prompt: str
    stream: bool | None = None


def assemble(events: list[Any]) -> Completion:
    """Joins the chunks' content (the synthetic twin of chat's assembly)."""
    text = "".join(e.delta.content or "" for e in events if isinstance(e, Chunk))
    if not events:
        raise ValueError("no events")
    return Completion(id=events[0].id, text=text)


COMPLETE = Operation(
    "complete",
    "POST",
    "/complete",
    request=CompleteRequest,
    body="json",
    responses={200: ("json", Completion)},  # type: ignore[dict-item]
    stream=StreamSpec("stream", "tests.runtime.synthetic:Event", "[DONE]", "tests.runtime.synthetic:assemble"),
)


@attrs.frozen(kw_only=True)
class ListRequest(AppHeaders):
    limit: Annotated[int, Ge(1)] | None = None
    offset: Annotated[int, Ge(0)] | None = None
    cursor: str | None = None


@attrs.frozen(kw_only=True)
class ItemPage:
    data: list[Item]
    cursor: str | None = None


LIST_OFFSET = Operation(
    "listItems",
    "GET",
    "/items",
    request=ListRequest,
    query=("limit", "offset"),
    responses={200: ("json", ItemPage)},  # type: ignore[dict-item]
    pagination=Pages("offset", 2, 6),
)
LIST_CURSOR = Operation(
    "listFilesCursor",
    "GET",
    "/cursor-items",
    request=ListRequest,
    query=("limit", "cursor"),
    responses={200: ("json", ItemPage)},  # type: ignore[dict-item]
    pagination=Pages("cursor"),
)
