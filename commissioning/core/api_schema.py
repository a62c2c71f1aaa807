"""What the JSON API promises and its OpenAPI document says: every number a caller sends is
bounded (a number too big for the database is a 422, never a server error), public operations
need no credentials, and every operation lists the refusals it really gives."""

import math
from types import SimpleNamespace
from typing import Annotated, Any

from ninja import Field, Path, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import PageNumberPagination
from ninja.security import SessionAuth
from pydantic import PlainSerializer

# Record ids are database integers; anything outside them names no record.
MAX_ID = 2_147_483_647
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="the record's id")]

# A list of more pages than this is not something a caller walks through page by page.
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 1000
MAX_OFFSET = 10_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    """Pages of a list, with `page` and `page_size` bounded so the offset they make fits the
    database's integers. Every list of the API answers in pages, with its total."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="the page wanted, from 1")
        page_size: int | None = Field(
            None,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"how many items a page holds, up to {MAX_PAGE_SIZE}",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="how many items the whole list holds, over every page")

    def __init__(self, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)


# Numbers with a fraction are rounded to the decimal places their schema documents
# (`x-decimals`), so no answer carries the noise of binary arithmetic (1457.8829999999998).
# Whatever number no schema describes (inside free-form values) gets at most MAX_DECIMALS.
MAX_DECIMALS = 6
DECIMALS_KEY = "x-decimals"


def round_to(value: Any, places: int = MAX_DECIMALS) -> Any:
    """`value` rounded to `places` decimal places, if it is a finite float; anything else as
    it is."""
    if isinstance(value, float) and math.isfinite(value):
        rounded = round(value, places)
        return 0.0 if rounded == 0 else rounded  # never -0.0
    return value


def rounded_values(data: Any, places: int = MAX_DECIMALS) -> Any:
    """Every float in `data` (dicts, lists and tuples of them) rounded to `places`."""
    if isinstance(data, float):
        return round_to(data, places)
    if isinstance(data, dict):
        return {key: rounded_values(value, places) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [rounded_values(value, places) for value in data]
    return data


def rounding(places: int) -> PlainSerializer:
    """Rounds a number to `places` as it is given."""
    return PlainSerializer(lambda value: round_to(float(value), places), return_type=float)


def documented(places: int, description: str = "") -> Any:
    """Says in the schema how many decimal places a number has."""
    return Field(json_schema_extra={DECIMALS_KEY: places}, description=description or None)


CASES_DECIMALS = 3
# Numbers with a fraction, each given to its places and documented as such.
Money = Annotated[float, rounding(2), documented(2, "pounds, to the penny")]
Figure = Annotated[float, rounding(2), documented(2)]
Percent = Annotated[float, rounding(1), documented(1, "per cent")]
Coordinate = Annotated[float, rounding(6), documented(6, "degrees (WGS 84)")]
Cases = Annotated[
    float, rounding(CASES_DECIMALS), documented(CASES_DECIMALS, "expected number of people")
]
Ratio = Annotated[float, rounding(3), documented(3)]
PerCase = Annotated[float, rounding(4), documented(4)]
Rate = Annotated[
    float, rounding(6), documented(6, "the share of the people in the band, from 0 to 1")
]


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    field: str
    messages: list[str]


class ValidationErrorOut(Schema):
    detail: str | list[dict[str, Any]] = Field(
        description="what was wrong: a sentence, or one entry per parameter with its location"
    )
    errors: list[FieldErrorsOut] | None = None


# The refusals an operation declares itself, because only its handler knows it checks roles.
FORBIDDEN: dict[int, Any] = {403: ErrorOut}

REFUSALS = {
    400: "The body is not JSON",
    401: "Not signed in: no session and no valid token",
    403: "Your roles do not allow this (or, for a browser session, the CSRF check failed)",
    404: "Not found, or not something you may see",
    422: "A parameter or the body is not valid",
}


def admits_anyone(auth: Any) -> bool:
    """An authenticator placed last in a list so that anonymous callers get through."""
    return bool(getattr(auth, "admits_anyone", False))


def anonymous_allowed(operation: Operation) -> bool:
    return not operation.auth_callbacks or any(admits_anyone(a) for a in operation.auth_callbacks)


class TruthfulOpenAPISchema(OpenAPISchema):
    """The document ninja makes, with optional sign-in shown as optional and the 401, 403, 404
    and 422 answers each operation can give."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security and anonymous_allowed(operation):
            # An empty requirement is OpenAPI's way of saying "or no credentials at all".
            security.append({})
        return security

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details = super().operation_details(operation)
        responses = details["responses"]
        codes = set()
        if not anonymous_allowed(operation):
            codes.add(401)
        if operation.methods != ["GET"] and any(
            isinstance(a, SessionAuth) for a in operation.auth_callbacks
        ):
            codes.add(403)
        if details.get("parameters") or details.get("requestBody"):
            codes.add(422)
        if any(p.get("in") == "path" for p in details.get("parameters", [])):
            codes.add(404)
        if details.get("requestBody"):
            codes.add(400)
        for code in sorted(codes):
            if code in responses:
                continue
            model = ValidationErrorOut if code == 422 else ErrorOut
            refusal = SimpleNamespace(
                response_models={code: operation._create_response_model(model)},
                by_alias=operation.by_alias,
                stream_format=None,
            )
            responses[code] = self.responses(refusal)[code]  # type: ignore[arg-type]
        for code, text in REFUSALS.items():
            if code in responses:
                responses[code]["description"] = text
        details["responses"] = dict(sorted(responses.items()))
        return details
