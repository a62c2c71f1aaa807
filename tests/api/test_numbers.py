"""No number in any answer carries the noise of binary arithmetic (1457.8829999999998): each has
at most the decimal places its schema documents (`x-decimals`), or the API's most
(`MAX_DECIMALS`) where it is free-form. Checked over every GET operation of the document, as
a platform administrator (who sees everything) in a world with plans, market analyses, needs
assessments and projections."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ninja import Schema

from commissioning.config.api import api
from commissioning.core.api_schema import (
    DECIMALS_KEY,
    MAX_DECIMALS,
    Cases,
    Coordinate,
    Figure,
    Money,
    Percent,
    Rate,
    rounded_values,
)

pytestmark = pytest.mark.django_db

# The record each path parameter names, from the world.
PATH_RECORDS = {
    "organisation_id": lambda w: w.organisations["council"].pk,
    "partnership_id": lambda w: w.objects["partnership"].pk,
    "group_id": lambda w: w.objects["group"].pk,
    "provider_id": lambda w: w.objects["listed_provider"].pk,
    "analysis_id": lambda w: w.objects["published_analysis"].pk,
    "assessment_id": lambda w: w.objects["published_assessment"].pk,
    "dataset_id": lambda w: w.objects["population_dataset"].pk,
    "plan_id": lambda w: w.objects["published_plan"].pk,
    "consultation_id": lambda w: w.objects["closed_consultation"].pk,
}
QUERIES = {
    "/api/v1/projections": lambda w: {
        "dataset": w.objects["population_dataset"].pk,
        "areas": "E06000005,E06000047,E06000001",
        "conditions": "dementia-cfas-ii",
        "total": "true",
    },
}


def decimals_in(number):
    """How many decimal places the JSON text of a number has."""
    exponent = Decimal(json.dumps(number)).normalize().as_tuple().exponent
    return max(0, -exponent)


def resolve(schema, document):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def branches(schema, document):
    schema = resolve(schema, document)
    parts = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            parts += branches(part, document)
    return parts


def places_allowed(schema, document):
    for part in branches(schema, document):
        if DECIMALS_KEY in part:
            return part[DECIMALS_KEY]
        if part.get("type") == "integer":
            return 0
    return MAX_DECIMALS


def noise(value, schema, document, where="$"):
    """Every number in `value` with more decimal places than its schema allows."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int | float):
        allowed = places_allowed(schema, document)
        return [f"{where} = {value!r}"] if decimals_in(value) > allowed else []
    parts = branches(schema, document)
    found = []
    if isinstance(value, list):
        items = next((p["items"] for p in parts if "items" in p), {})
        for index, item in enumerate(value):
            found += noise(item, items, document, f"{where}[{index}]")
    elif isinstance(value, dict):
        properties = {k: v for p in parts for k, v in p.get("properties", {}).items()}
        extra = next(
            (
                p["additionalProperties"]
                for p in parts
                if isinstance(p.get("additionalProperties"), dict)
            ),
            {},
        )
        for key, item in value.items():
            found += noise(item, properties.get(key, extra), document, f"{where}.{key}")
    return found


def get_operations(document):
    for path, item in document["paths"].items():
        if "get" in item:
            yield path, item["get"]


def test_every_number_in_every_answer_has_at_most_its_documented_places(client, world):
    document = api.get_openapi_schema()
    headers = {"Authorization": f"Bearer {world.tokens['platform_admin']}"}
    checked, failures = 0, {}
    for path, operation in get_operations(document):
        url = path
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace(
                    "{" + parameter["name"] + "}", str(PATH_RECORDS[parameter["name"]](world))
                )
        query = QUERIES.get(path, lambda w: {})(world)
        response = client.get(url, query, headers=headers)
        assert response.status_code == 200, (url, response.content[:300])
        if response["Content-Type"].startswith("application/json"):
            responses = operation["responses"]
            answer = responses.get(200) or responses["200"]
            schema = answer["content"]["application/json"]["schema"]
            if found := noise(response.json(), schema, document):
                failures[url] = found[:5]
            checked += 1
    assert not failures, failures
    assert checked >= 30


def test_every_number_in_the_document_says_its_decimal_places(db):
    document = api.get_openapi_schema()
    undocumented = []
    for name, schema in document["components"]["schemas"].items():
        for prop, spec in schema.get("properties", {}).items():
            numbers = [p for p in branches(spec, document) if p.get("type") == "number"]
            if numbers and not all(DECIMALS_KEY in p for p in numbers):
                undocumented.append(f"{name}.{prop}")
    assert not undocumented


def test_projected_cases_summed_over_areas_carry_no_noise(client, world):
    response = client.get("/api/v1/projections", QUERIES["/api/v1/projections"](world))
    rows = response.json()["rows"]
    assert rows and all(
        decimals_in(row[key]) <= 3 for row in rows for key in ("cases", "low", "high")
    )


class Numbers(Schema):
    money: Money
    figure: Figure
    percent: Percent
    coordinate: Coordinate
    cases: Cases
    rate: Rate | None


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_each_kind_of_number_is_given_to_its_places_whatever_the_arithmetic(value):
    given_out = json.loads(
        json.dumps(
            Numbers(
                money=value, figure=value, percent=value, coordinate=value, cases=value, rate=value
            ).model_dump()
        )
    )
    places = {"money": 2, "figure": 2, "percent": 1, "coordinate": 6, "cases": 3, "rate": 6}
    for key, allowed in places.items():
        assert decimals_in(given_out[key]) <= allowed, (key, given_out[key])
        assert abs(given_out[key] - value) <= 10**-allowed


@given(
    st.recursive(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_free_form_values_are_rounded_to_the_most_places(data):
    def numbers(value):
        if isinstance(value, float):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from numbers(item)
        elif isinstance(value, list):
            for item in value:
                yield from numbers(item)

    rounded = json.loads(json.dumps(rounded_values(data)))
    assert all(decimals_in(number) <= MAX_DECIMALS for number in numbers(rounded))
