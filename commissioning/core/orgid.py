"""Organisation identifiers in the org-id.guide form: a scheme prefix and the identifier the
register behind it gives, e.g. ``GB-CHC-1087614``. Pure: no Django, so the same rules serve
forms, the API and importers.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    prefix: str
    register: str
    pattern: re.Pattern[str]
    example: str


SCHEMES: dict[str, Scheme] = {
    s.prefix: s
    for s in (
        Scheme("GB-LAE", "Local authorities in England", re.compile(r"[A-Z]{3,4}"), "GB-LAE-BIR"),
        Scheme(
            "GB-PLA", "Principal local authorities in Wales", re.compile(r"[A-Z]{3}"), "GB-PLA-CRF"
        ),
        Scheme(
            "GB-NHS",
            "NHS organisation data service (ODS) codes",
            re.compile(r"[A-Z0-9]{3,6}"),
            "GB-NHS-7A4",
        ),
        Scheme(
            "GB-CHC",
            "Charity Commission for England and Wales",
            re.compile(r"[0-9]{6,7}"),
            "GB-CHC-1087614",
        ),
        Scheme(
            "GB-COH", "Companies House", re.compile(r"[0-9]{8}|[A-Z]{2}[0-9]{6}"), "GB-COH-09876543"
        ),
        Scheme(
            "GB-GOR",
            "UK government organisation register",
            re.compile(r"[A-Z]{1,3}[0-9]{1,5}"),
            "GB-GOR-PB1026",
        ),
        Scheme(
            "GB-MPR",
            "FCA Mutuals Public Register (co-operatives and community benefit societies)",
            re.compile(r"(IP|RS)?[0-9]{1,6}R?"),
            "GB-MPR-30474R",
        ),
    )
}


class InvalidIdentifier(ValueError):
    """The text is not an identifier in a scheme we know, or breaks its scheme's format.

    `code` is one of "empty", "scheme", "format"; the wording (translated) belongs to callers."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class OrgId:
    scheme: str
    identifier: str

    def __str__(self) -> str:
        return f"{self.scheme}-{self.identifier}"


def parse(text: str) -> OrgId:
    """Parse and normalise an org-id (case, surrounding and inner spaces, leading zeros kept)."""
    cleaned = re.sub(r"\s+", "", text or "").upper()
    if not cleaned:
        raise InvalidIdentifier("empty")
    for prefix, scheme in SCHEMES.items():
        if cleaned.startswith(prefix + "-"):
            identifier = cleaned[len(prefix) + 1 :]
            if not scheme.pattern.fullmatch(identifier):
                raise InvalidIdentifier(
                    "format", identifier=identifier, scheme=prefix, example=scheme.example
                )
            return OrgId(prefix, identifier)
    raise InvalidIdentifier("scheme", prefixes=", ".join(SCHEMES))
