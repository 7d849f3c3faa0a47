"""Parameter types shared by the API routers: identifiers bounded to what the database
columns hold (PostgreSQL integer), so a huge number is a 422, not a server error."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Field(ge=0, le=MAX_ID)]

# Every API list is paginated the same way: ?limit=&offset= in, {count, limit, offset, items}
# out (two queries per page whatever the number of rows: the count and the slice).
MAX_LIMIT = 500


class Page(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_ID)


def paged(qs, page: Page) -> tuple[int, list]:
    return qs.count(), list(qs[page.offset:page.offset + page.limit])


def envelope(count: int, page: Page, items: list) -> dict:
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}
