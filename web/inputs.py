"""Checks every request's inputs pass before any query: no control characters, ids in range.

A NUL in a query string reaches PostgreSQL as an error (its text cannot hold one), and an
id beyond 64 bits cannot be sent by any driver: both are the client's mistake (422), never
a server error. Ids past a backend's narrower range name nothing (404, in the queries).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError

from storage.queries import WIDEST_INTEGER

# C0 controls, DEL and C1 controls: no name, search term or filter contains them.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "control characters (such as NUL) are not allowed"

# The same rule in the schema, so that clients (and schema-driven tests) know it.
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
SourceName = Annotated[str, Path(pattern=NO_CONTROL)]
UserName = Annotated[str, Path(pattern=NO_CONTROL)]
SourceFilter = Annotated[str | None, Query(pattern=NO_CONTROL)]
SearchQuery = Annotated[str, Query(max_length=500, pattern=NO_CONTROL)]

DocumentId = Annotated[int, Path(ge=1, le=WIDEST_INTEGER)]
RunId = Annotated[int, Path(ge=1, le=WIDEST_INTEGER)]
VersionNumber = Annotated[int, Path(ge=1, le=WIDEST_INTEGER)]
OptionalVersion = Annotated[int | None, Query(ge=1, le=WIDEST_INTEGER)]


def refuse_control_characters(request: Request) -> None:
    """An app-wide dependency: 422 for a control character in the path or query string."""
    errors = [
        {"type": "value_error", "loc": (where, name), "msg": CONTROL_MESSAGE, "input": value}
        for where, items in (
            ("path", request.path_params.items()),
            ("query", request.query_params.multi_items()),
        )
        for name, value in items
        if isinstance(value, str) and (CONTROL.search(value) or CONTROL.search(name))
    ]
    if CONTROL.search(request.url.path):
        errors.append(
            {"type": "value_error", "loc": ("path",), "msg": CONTROL_MESSAGE, "input": None}
        )
    if errors:
        raise RequestValidationError(errors)
