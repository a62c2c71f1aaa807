"""Tables as plain data, one shape for the page, CSV and XLSX. Pure (no Django): labels arrive
already translated."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
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
