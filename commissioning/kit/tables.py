"""Tables as plain data, one shape for the page, CSV and XLSX. Pure (no Django): labels arrive
already translated."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from commissioning.kit.text import for_xml

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict[str, Any]] = field(default_factory=list)
    caption: str = ""

    def cells(self) -> list[list[Any]]:
        return [[row.get(key) for key, _label in self.columns] for row in self.rows]

    def display_cells(self) -> list[list[str]]:
        """The cells as the page and every document show them (`display`); the first column
        names its row (a year, an area) and a whole number there is written as it is: 2014,
        not 2,014."""
        return [
            [_row_name(row[0]), *(display(value) for value in row[1:])] if row else []
            for row in self.cells()
        ]

    @property
    def wide(self) -> bool:
        """Too wide for a portrait page: it goes on a landscape one (`kit.layout`)."""
        from commissioning.kit.layout import is_wide

        return is_wide(self)

    @property
    def font_points(self) -> float:
        """The size of its text on paper (`kit.layout`)."""
        from commissioning.kit.layout import font_points

        return font_points(self)


NOT_KNOWN = "\u2013"  # an en dash


def display(value: Any) -> str:
    """A cell as people read it: whole numbers grouped in thousands (21,130), other numbers
    grouped and with their decimals as they are (1,205.5), text as it is (money arrives already
    written, "£1,250"), nothing as a dash. English and Welsh write numbers alike."""
    if value is None:
        return NOT_KNOWN
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        whole, point, decimals = str(value).partition(".")
        if not whole.lstrip("-").isdigit():  # inf, nan, an exponent: as Python writes it
            return str(value)
        return f"{int(whole):,}{point}{decimals}" if whole != "-0" else f"-0{point}{decimals}"
    return str(value)


def _row_name(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return display(value)


def safe_cell(value: Any) -> Any:
    """Spreadsheets run text that starts with = + - @ as a formula: never let data do that.
    Nor let a control character that a workbook cannot hold stop the file being written."""
    if isinstance(value, str):
        value = for_xml(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(label) for _key, label in table.columns])
    writer.writerows([[safe_cell(v) for v in row] for row in table.cells()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def to_xlsx(table: Table, notes: Sequence[str] = ()) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.key[:31])
    sheet.append([safe_cell(table.title)])
    for note in notes:
        sheet.append([safe_cell(note)])
    sheet.append([])
    sheet.append([safe_cell(label) for _key, label in table.columns])
    for row in table.cells():
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
