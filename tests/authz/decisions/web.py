"""Decisions for the public pages, the API's own documentation and the administration site."""

from tests.authz.decisions.cases import Case, everyone, only, signed_in

PAGE_CASES = [
    Case("web:home", "GET", everyone()),
    Case("web:dashboard", "GET", signed_in()),
    Case("web:accessibility", "GET", everyone()),
    Case("web:switch_language", "GET", everyone(302), kwargs=lambda w: {"language": "cy"}),
    Case("web:health", "GET", everyone()),
    Case("api-1.0.0:openapi-json", "GET", everyone()),
    Case("api-1.0.0:openapi-view", "GET", everyone()),
    Case(
        "admin:index",
        "GET",
        only(set(), denied=302),
        notes="the administration site is for platform administrators only",
    ),
    Case("admin:core_clientgroup_changelist", "GET", only(set(), denied=302)),
    Case("admin:core_organisation_changelist", "GET", only(set(), denied=302)),
    Case("admin:market_servicetype_changelist", "GET", only(set(), denied=302)),
]
