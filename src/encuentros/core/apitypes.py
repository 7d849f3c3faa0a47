"""Parameter types shared by the API routers: identifiers bounded to what the database
columns hold (PostgreSQL integer), so a huge number is a 422, not a server error."""

from typing import Annotated

from pydantic import Field

MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Field(ge=0, le=MAX_ID)]
