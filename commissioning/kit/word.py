"""Word documents that hold any stored text. python-docx refuses a string with a control
character that XML cannot hold, and one such character in a provider's name or a plan's section
would stop the whole document: text given to a heading, paragraph, table cell or the document's
properties goes through `for_xml` first.

Also the pieces every app's documents share: A4 pages, a table with its header row marked and
repeated on each page (on a landscape page when it is too wide for a portrait one), a chart as a
picture with its description as alternative text, and Markdown as Word headings, lists and
paragraphs. python-docx is imported only when a document is written."""

import io
import re
from typing import Any

from commissioning.kit.tables import Table
from commissioning.kit.text import for_xml


class PlainTextDocument:
    """A python-docx document whose headings, paragraphs and properties take any text; every
    other attribute is the document's own."""

    def __init__(self, document: Any) -> None:
        self._document = document

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)

    def add_heading(self, text: Any = "", level: int = 1) -> Any:
        return self._document.add_heading(for_xml(str(text)), level)

    def add_paragraph(self, text: Any = "", style: Any = None) -> Any:
        return self._document.add_paragraph(for_xml(str(text)), style)

    def describe(self, *, title: str, author: str, language: str) -> None:
        properties = self._document.core_properties
        properties.title = for_xml(title)
        properties.author = for_xml(author)
        properties.language = language


# A table with more columns than this does not fit a portrait A4 page at a readable size: it
# goes on a landscape page of its own.
PORTRAIT_COLUMNS = 7
A4_CM = (21.0, 29.7)
MARGIN_CM = 2.0


def document() -> PlainTextDocument:
    """An empty document on A4 paper, portrait (python-docx's template is US Letter)."""
    from docx import Document

    word = Document()
    _set_page(word.sections[0], landscape=False)
    return PlainTextDocument(word)


def _set_page(section: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    short, long = A4_CM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Cm(long), Cm(short)) if landscape else (Cm(short), Cm(long))
    )
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))


def _new_section(document: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_SECTION

    _set_page(document.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)


def is_landscape(section: Any) -> bool:
    return bool(section.page_width > section.page_height)


def set_cell_text(cell: Any, value: Any) -> None:
    cell.text = "" if value is None else for_xml(str(value))


def add_table(document: Any, table: Table) -> None:
    """The table under its title and caption; a table wider than a portrait page goes on a
    landscape page of its own, and the document carries on in portrait after it."""
    wide = len(table.columns) > PORTRAIT_COLUMNS
    if wide:
        _new_section(document, landscape=True)
    _add_table(document, table)
    if wide:
        _new_section(document, landscape=False)


def _add_table(document: Any, table: Table) -> None:
    document.add_heading(table.title, level=2)
    if table.caption:
        document.add_paragraph(table.caption)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, (_key, label) in zip(grid.rows[0].cells, table.columns, strict=True):
        set_cell_text(cell, label)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # Header row repeats on each page, and is marked as a header for screen readers.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = grid.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header.append(marker)
    for row in table.cells():
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            set_cell_text(cell, value)


def add_picture(document: Any, png: bytes, description: str, *, width_cm: float = 16) -> Any:
    """A picture 16 cm wide, with `description` as its alternative text."""
    from docx.shared import Cm

    picture = document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    picture._inline.docPr.set("descr", for_xml(description))
    return picture


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*|\[[^\]]+\]\([^)]+\))")


def _add_runs(paragraph: Any, text: str) -> None:
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 1:
            paragraph.add_run(piece[1:-1]).italic = True
        elif piece.startswith("["):
            label, _sep, address = piece[1:-1].partition("](")
            paragraph.add_run(f"{label} ({address})")
        else:
            paragraph.add_run(piece)


def add_markdown(document: Any, source: str, *, base_level: int = 2) -> None:
    """Markdown as Word headings, bullets, numbered items and paragraphs."""
    source = for_xml(source)
    paragraph_lines: list[str] = []

    def flush() -> None:
        if paragraph_lines:
            _add_runs(document.add_paragraph(), " ".join(paragraph_lines))
            paragraph_lines.clear()

    for raw in source.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        bullet = re.match(r"^[*+-]\s+(.*)$", line)
        numbered = re.match(r"^\d+[.)]\s+(.*)$", line)
        if not line:
            flush()
        elif heading:
            flush()
            level = min(base_level + len(heading.group(1)) - 1, 9)
            document.add_heading(heading.group(2), level=level)
        elif bullet:
            flush()
            _add_runs(document.add_paragraph(style="List Bullet"), bullet.group(1))
        elif numbered:
            flush()
            _add_runs(document.add_paragraph(style="List Number"), numbered.group(1))
        else:
            paragraph_lines.append(line)
    flush()
