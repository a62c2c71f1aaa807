"""The generic tables now live in the kit (`commissioning.kit.tables`); kept importable here.
`AssessmentTables` is a needs assessment's tables with what they were drawn for."""

from commissioning.kit.tables import FORMULA_STARTS, Table, safe_cell, to_csv, to_xlsx


class AssessmentTables(dict[str, Table]):
    """A needs assessment's tables by key, with the place they are for (an area's name, or ""
    for all the assessment's areas together), that area's code, the year the population
    pyramid shows and the years the assessment's data holds."""

    def __init__(
        self,
        tables: dict[str, Table],
        *,
        place: str = "",
        area_code: str = "",
        pyramid_year: int | None = None,
        years: tuple[int, ...] = (),
    ) -> None:
        super().__init__(tables)
        self.place = place
        self.area_code = area_code
        self.pyramid_year = pyramid_year
        self.years = years


__all__ = ["FORMULA_STARTS", "AssessmentTables", "Table", "safe_cell", "to_csv", "to_xlsx"]
