"""ONS (GSS) geography codes: a letter for the country, two digits for the kind of area, six
digits for the area, e.g. E06000047 (County Durham). Pure: no Django."""

import re
from dataclasses import dataclass

CODE = re.compile(r"[ENSW][0-9]{8}")


@dataclass(frozen=True)
class EntityType:
    prefix: str
    level: str  # "country", "region" or "local_authority"
    description: str


ENTITY_TYPES: dict[str, EntityType] = {
    t.prefix: t
    for t in (
        EntityType("E92", "country", "England"),
        EntityType("W92", "country", "Wales"),
        EntityType("S92", "country", "Scotland"),
        EntityType("N92", "country", "Northern Ireland"),
        EntityType("E12", "region", "English region"),
        EntityType("E06", "local_authority", "English unitary authority"),
        EntityType("E07", "local_authority", "English non-metropolitan district"),
        EntityType("E08", "local_authority", "English metropolitan district"),
        EntityType("E09", "local_authority", "London borough"),
        EntityType("W06", "local_authority", "Welsh unitary authority"),
        EntityType("S12", "local_authority", "Scottish council area"),
        EntityType("N09", "local_authority", "Northern Ireland local government district"),
    )
}


class InvalidAreaCode(ValueError):
    """`code` is "format" (not nine characters of letter and digits) or "entity" (a well-formed
    code of a kind of area we do not hold)."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(code, text)
        self.code = code
        self.text = text


def entity_type(text: str) -> EntityType:
    code = (text or "").strip().upper()
    if not CODE.fullmatch(code):
        raise InvalidAreaCode("format", code)
    try:
        return ENTITY_TYPES[code[:3]]
    except KeyError:
        raise InvalidAreaCode("entity", code) from None
