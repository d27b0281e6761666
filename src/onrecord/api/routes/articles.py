"""``/api/articles``: list, read one (text, statement spans, removed junk), and add one."""

from __future__ import annotations

from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from onrecord.api._deps import ContextDep, StoreDep, require_token
from onrecord.api._errors import InvalidRequestError, PayloadTooLargeError
from onrecord.api._export import listing_response
from onrecord.api._params import Paging, paging_of
from onrecord.api._service import article_hits, story_id_of
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    ArticleCreatedOut,
    ArticleIn,
    ArticleOut,
    ArticleRef,
    ErrorOut,
    article_out,
)
from onrecord.ingest import text_problem
from onrecord.models import ExtractedArticle, RawDocument

router = APIRouter(tags=["articles"])


class ArticleListOut(BaseModel):
    """Stored articles in the order added."""

    articles: list[ArticleRef]
    next_offset: int | None


def _ref(item: ExtractedArticle) -> ArticleRef:
    return ArticleRef(
        id=item.article.id,
        title=item.article.title,
        url=item.article.url,
        outlet=item.article.outlet,
        published=item.article.published,
    )


@router.get("/articles", response_model=ArticleListOut, responses=ERRORS)
def articles(store: StoreDep, paging: Annotated[Paging, Depends(paging_of(50, 500))]) -> Response:
    """Stored articles in the order they were added (``format=csv``, ``scope=all``)."""
    limit, offset = paging.limit, paging.offset
    items = list(islice(store.iter_articles(), offset, offset + limit + 1))
    page = ArticleListOut(
        articles=[_ref(i) for i in items[:limit]],
        next_offset=offset + limit if len(items) > limit else None,
    )
    rows = (_ref(i) for i in store.iter_articles())
    return listing_response(paging, page, "articles", rows, name="articles")


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=ERRORS)
def article(article_id: str, store: StoreDep) -> ArticleOut:
    """An article: cleaned text, statements with their spans in it, and the removed junk."""
    item = store.article(article_id)
    hits = {(h.start, h.end): h for h in article_hits(store, article_id)}
    return article_out(item, hits, story_id_of(store, article_id))


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise PayloadTooLargeError(limit)
    return bytes(body)


def _raw_document(body: bytes, content_type: str) -> RawDocument:
    """The posted article, checked by the same rules as a file or a JSON line.

    Raises:
        InvalidRequestError: The JSON is not of the documented shape.
        IngestError: The text cannot be an article body (NUL characters, binary data, empty).
    """
    raw = _parsed_body(body, content_type)
    field = None if content_type.startswith(("text/html", "text/plain")) else raw.media_type
    problem = text_problem(raw.source, raw.content, field=field)
    if problem is not None:
        raise problem
    return raw


def _parsed_body(body: bytes, content_type: str) -> RawDocument:
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        return RawDocument(source="<api>", content=text, media_type="html")
    if content_type.startswith("text/plain"):
        return RawDocument(source="<api>", content=text, media_type="text")
    try:
        given = ArticleIn.model_validate_json(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidRequestError(
            f"[{InvalidRequestError.code}] the article is not valid JSON of the documented shape: "
            f'{problems}. Send {{"text": ...}} or {{"html": ...}}, or an HTML body.'
        ) from exc
    if (given.text is None) == (given.html is None):
        raise InvalidRequestError(
            f"[{InvalidRequestError.code}] give exactly one of 'text' and 'html' in the article."
        )
    fields = {
        key: value
        for key, value in (
            ("title", given.title),
            ("url", given.url),
            ("published", given.published.isoformat() if given.published else None),
            ("outlet", given.outlet),
            ("authors", ", ".join(given.authors) if given.authors else None),
        )
        if value
    }
    source = given.url or "<api>"
    if given.html is not None:
        return RawDocument(source=source, content=given.html, media_type="html", fields=fields)
    return RawDocument(source=source, content=given.text or "", media_type="text", fields=fields)


@router.post(
    "/articles",
    response_model=ArticleCreatedOut,
    status_code=201,
    dependencies=[Depends(require_token)],
    responses={
        200: {"model": ArticleCreatedOut, "description": "Already stored"},
        401: {"model": ErrorOut, "description": "Missing or wrong bearer token"},
        403: {"model": ErrorOut, "description": "Server is read-only"},
        413: {"model": ErrorOut, "description": "Body too large"},
        422: {"model": ErrorOut, "description": "No usable article in the body"},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": ArticleIn.model_json_schema()},
                "text/html": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
            "required": True,
        }
    },
)
async def add_article(
    request: Request, response: Response, store: StoreDep, context: ContextDep
) -> ArticleCreatedOut:
    """Run the pipeline on one article and store it (needs ``Authorization: Bearer TOKEN``).

    The body is JSON (``{"text"|"html", "title", "url", "published", "outlet"}``), or an
    HTML or plain-text document. Answers 201 when stored, 200 when already stored.
    """
    body = await _read_body(request, context.max_body_bytes)
    content_type = request.headers.get("content-type", "application/json").lower()
    raw = _raw_document(body, content_type)
    item, result = await run_in_threadpool(context.writer.write, store, raw)
    if not result.added:
        response.status_code = 200
    return ArticleCreatedOut(
        created=bool(result.added),
        id=item.article.id,
        statements=len(item.quotes),
        url=f"/api/articles/{item.article.id}",
    )
