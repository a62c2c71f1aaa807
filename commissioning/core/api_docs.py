"""The API's documentation at /api/v1/docs: a page of the site, in its layout and languages,
written from the OpenAPI document the API serves (every operation with its parameters, answers
and the schemas of their bodies). Nothing is fetched from elsewhere and no script runs."""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.openapi.docs import DocsBase

from commissioning.core.api_schema import DECIMALS_KEY, MAX_DECIMALS
from commissioning.kit.narrative import findings_html

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Property:
    name: str
    type: str
    required: bool
    description: str
    constraints: list[str]


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    properties: list[Property]


@dataclass
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str
    constraints: list[str]


@dataclass
class Answer:
    status: str
    description: str
    body: str  # a schema's name, or a type
    anchor: str  # the schema's anchor on the page, if it is one


@dataclass
class OperationDoc:
    method: str
    path: str
    anchor: str
    summary: str
    description_html: str
    public: bool
    parameters: list[Parameter]
    request_body: str
    request_anchor: str
    answers: list[Answer]


@dataclass
class TagDoc:
    name: str
    anchor: str
    operations: list[OperationDoc] = field(default_factory=list)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def schema_anchor(name: str) -> str:
    return f"schema-{_slug(name)}"


def _ref_name(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any]) -> str:
    """A short, readable name for a JSON schema's type: `integer`, `list of PlanOut`,
    `string or null`."""
    if "$ref" in schema:
        return _ref_name(schema)
    for combination in ("anyOf", "oneOf", "allOf"):
        if combination in schema:
            return _(" or ").join(type_of(part) for part in schema[combination])
    kind = schema.get("type")
    if kind == "array":
        return _("list of %(type)s") % {"type": type_of(schema.get("items", {}))}
    if kind == "object" and "additionalProperties" in schema:
        inner = schema["additionalProperties"]
        return _("map of %(type)s") % {"type": type_of(inner if isinstance(inner, dict) else {})}
    if "enum" in schema:
        return _("one of %(values)s") % {"values": ", ".join(str(v) for v in schema["enum"])}
    if kind:
        kind = str(kind)
        return f"{kind} ({schema['format']})" if "format" in schema else kind
    return _("any value")


def _first_ref(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _ref_name(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            if found := _first_ref(part):
                return found
    if "items" in schema:
        return _first_ref(schema["items"])
    return ""


def _numbers(schema: dict[str, Any]) -> list[dict[str, Any]]:
    parts = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        parts += schema.get(key, [])
    return parts


def constraints_of(schema: dict[str, Any]) -> list[str]:
    """What a value must be, in words: bounds, lengths, decimal places, its default."""
    found: list[str] = []
    for part in _numbers(schema):
        if "minimum" in part:
            found.append(_("at least %(value)s") % {"value": part["minimum"]})
        if "maximum" in part:
            found.append(_("at most %(value)s") % {"value": part["maximum"]})
        if "minLength" in part:
            found.append(_("at least %(count)s characters") % {"count": part["minLength"]})
        if "maxLength" in part:
            found.append(_("at most %(count)s characters") % {"count": part["maxLength"]})
        if DECIMALS_KEY in part:
            found.append(_("%(places)s decimal places at most") % {"places": part[DECIMALS_KEY]})
        elif part.get("type") == "number":
            found.append(_("%(places)s decimal places at most") % {"places": MAX_DECIMALS})
    if "default" in schema and schema["default"] not in (None, ""):
        found.append(_("default %(value)s") % {"value": schema["default"]})
    return found


def _description(schema: dict[str, Any]) -> str:
    text = schema.get("description", "")
    for part in _numbers(schema):
        text = text or part.get("description", "")
    return str(text)


def schema_docs(document: dict[str, Any]) -> list[SchemaDoc]:
    schemas = document.get("components", {}).get("schemas", {})
    docs = []
    for name in sorted(schemas):
        schema = schemas[name]
        required = set(schema.get("required", []))
        docs.append(
            SchemaDoc(
                name=name,
                anchor=schema_anchor(name),
                properties=[
                    Property(
                        name=prop,
                        type=type_of(spec),
                        required=prop in required,
                        description=_description(spec),
                        constraints=constraints_of(spec),
                    )
                    for prop, spec in schema.get("properties", {}).items()
                ],
            )
        )
    return docs


def _body_of(content: dict[str, Any]) -> tuple[str, str]:
    schema = content.get("application/json", {}).get("schema")
    if not schema:
        return "", ""
    ref = _first_ref(schema)
    return type_of(schema), (schema_anchor(ref) if ref else "")


def operation_docs(document: dict[str, Any]) -> list[TagDoc]:
    tags: dict[str, TagDoc] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag_name = (operation.get("tags") or [_("Other")])[0]
            tag = tags.setdefault(tag_name, TagDoc(tag_name, f"tag-{_slug(tag_name)}"))
            security = operation.get("security", [])
            request_body, request_anchor = _body_of(
                operation.get("requestBody", {}).get("content", {})
            )
            answers = []
            for status, answer in operation.get("responses", {}).items():
                body, anchor = _body_of(answer.get("content", {}))
                answers.append(Answer(str(status), answer.get("description", ""), body, anchor))
            tag.operations.append(
                OperationDoc(
                    method=method.upper(),
                    path=path,
                    anchor=f"{method}-{_slug(path)}",
                    summary=operation.get("summary", ""),
                    description_html=findings_html(operation.get("description", "")),
                    public=not security or {} in security,
                    parameters=[
                        Parameter(
                            name=p["name"],
                            where=p["in"],
                            type=type_of(p.get("schema", {})),
                            required=bool(p.get("required")),
                            description=p.get("description") or _description(p.get("schema", {})),
                            constraints=constraints_of(p.get("schema", {})),
                        )
                        for p in operation.get("parameters", [])
                    ],
                    request_body=request_body,
                    request_anchor=request_anchor,
                    answers=answers,
                )
            )
    return list(tags.values())


class ApiReference(DocsBase):
    """Ninja's documentation page, replaced by the site's own."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "core/api_docs.html",
            {
                "info": document["info"],
                "description_html": findings_html(document["info"].get("description", "")),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "tags": operation_docs(document),
                "schemas": schema_docs(document),
            },
        )
