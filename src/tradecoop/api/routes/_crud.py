"""Create / read / update (PATCH) / delete endpoints of one registry entity, built once and
reused by every resource module; :func:`add_party_list` adds the list endpoint shared by
agreements, projects and events (enterprises have their own, with more filters)."""

# no `from __future__ import annotations`: FastAPI must see the body classes, not strings

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from tradecoop.api.deps import DbSession, Editor, ReadSession, Viewer, etag, expected_version
from tradecoop.api.schemas.common import ERROR_RESPONSES, Offset, RecordId
from tradecoop.registry import repository as repo
from tradecoop.registry.records import to_dict
from tradecoop.registry.service import RegistryService


def add_crud(router: APIRouter, entity: str, path: str, create: type, update: type, read: type) -> None:
    """Add ``GET/PATCH/DELETE {path}/{id}`` and ``POST {path}`` for ``entity`` to ``router``."""

    def get_one(record_id: RecordId, session: ReadSession, _: Viewer, response: Response) -> dict[str, Any]:
        obj = repo.get(session, entity, record_id)
        response.headers["ETag"] = etag(obj.version)
        return to_dict(obj)

    def create_one(body: create, session: DbSession, user: Editor, response: Response) -> dict[str, Any]:  # type: ignore[valid-type]
        obj = RegistryService(session, actor=user.name).create(entity, body.model_dump(mode="json"))  # type: ignore[attr-defined]
        response.headers["Location"] = f"/api/v1{path}/{obj.id}"
        response.headers["ETag"] = etag(obj.version)
        return to_dict(obj)

    def update_one(record_id: RecordId, body: update, request: Request, session: DbSession, user: Editor,  # type: ignore[valid-type]
                   response: Response) -> dict[str, Any]:
        data = body.model_dump(mode="json", exclude_unset=True)  # type: ignore[attr-defined]
        version = expected_version(request, data.pop("version", None))
        obj = RegistryService(session, actor=user.name).update(entity, record_id, data, version=version)
        response.headers["ETag"] = etag(obj.version)
        return to_dict(obj)

    def delete_one(record_id: RecordId, request: Request, session: DbSession, user: Editor,
                   version: int | None = Query(None, description="the version you read, or send If-Match (stale -> 409)"),
                   ) -> Response:
        RegistryService(session, actor=user.name).delete(entity, record_id, version=expected_version(request, version))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    get_one.__doc__ = f"Read one {entity}."
    create_one.__doc__ = f"Create a {entity} (editor). Written to the audit log."
    update_one.__doc__ = (f"Change some fields of a {entity} (editor). Send the `version` you read (or "
                          "`If-Match` with the ETag you read); if it is stale the answer is 409 and nothing changes.")
    delete_one.__doc__ = f"Delete a {entity} (editor), giving its current `version` (or `If-Match`)."
    router.add_api_route(f"{path}/{{record_id}}", get_one, methods=["GET"], response_model=read,
                         responses=ERROR_RESPONSES, summary=f"Read a {entity}")
    router.add_api_route(path, create_one, methods=["POST"], response_model=read, status_code=201,
                         responses=ERROR_RESPONSES, summary=f"Create a {entity}")
    router.add_api_route(f"{path}/{{record_id}}", update_one, methods=["PATCH"], response_model=read,
                         responses=ERROR_RESPONSES, summary=f"Update a {entity}")
    router.add_api_route(f"{path}/{{record_id}}", delete_one, methods=["DELETE"], status_code=204,
                         responses=ERROR_RESPONSES, summary=f"Delete a {entity}")


def page_dict(page: repo.Page, item: Callable[[Any], Any] = to_dict) -> dict[str, Any]:
    """The list response: ``item`` of every record (ORM records through ``to_dict`` by default)."""
    return {"items": [item(o) for o in page.items], "total": page.total, "limit": page.limit, "offset": page.offset}


def add_party_list(router: APIRouter, entity: str, path: str, page: type, plural: str) -> None:
    """Add ``GET {path}``: filter by ``q`` (title), ``kind`` and a party's ``location``, paged."""

    def list_records(
        request: Request, session: ReadSession, _: Viewer,
        q: Annotated[str | None, Query(max_length=200, description="text in the title")] = None,
        kind: Annotated[str | None, Query(max_length=200)] = None,
        location: Annotated[str | None, Query(max_length=200, description="a party's location")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50, offset: Offset = 0,
    ) -> dict[str, Any]:
        limit = min(limit, request.app.state.settings.page_size_max)
        return page_dict(repo.list_records(session, entity, q=q, kind=kind, location=location, limit=limit, offset=offset))

    list_records.__doc__ = f"List {plural}, filtered and paged."
    router.add_api_route(path, list_records, methods=["GET"], response_model=page, responses=ERROR_RESPONSES,
                         summary=f"List {plural}", name=f"list_{plural}")
