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

from commissioning.kit import layout
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


# Pages and the measure of a table that is too wide for a portrait one: the kit's, shared with the
# PDF documents (`kit.layout`).
PORTRAIT_COLUMNS = layout.PORTRAIT_COLUMNS
A4_CM = (layout.A4_MM[0] / 10, layout.A4_MM[1] / 10)
MARGIN_CM = layout.SIDE_MARGIN_MM / 10


def document() -> PlainTextDocument:
    """An empty document on A4 paper, portrait (python-docx's template is US Letter)."""
    from docx import Document

    word = Document()
    _set_page(word.sections[0], landscape=False)
    return PlainTextDocument(word)


def _set_page(section: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    page = layout.LANDSCAPE if landscape else layout.PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.left_margin = section.right_margin = Mm(layout.SIDE_MARGIN_MM)
    section.top_margin = section.bottom_margin = Mm(layout.END_MARGIN_MM)


def _nothing_since_the_last_break(document: Any) -> bool:
    """Whether the current section is still empty: the body ends with the paragraph that closes
    the section before it."""
    from docx.oxml.ns import qn

    blocks = [block for block in document.element.body if block.tag != qn("w:sectPr")]
    if not blocks:
        return True
    last = blocks[-1]
    return last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def _turn_to(document: Any, *, landscape: bool) -> None:
    """Carry on on a page of this orientation: the current section turns when nothing is on it
    yet, otherwise a new section starts on a new page."""
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn

    current = document.sections[-1]
    if is_landscape(current) == landscape:
        return
    if _nothing_since_the_last_break(document):
        sections = document.sections
        if len(sections) > 1 and is_landscape(sections[-2]) == landscape:
            # The section before is already this way round: carry on in it, without a break.
            blocks = [block for block in document.element.body if block.tag != qn("w:sectPr")]
            document.element.body.remove(blocks[-1])
        _set_page(current, landscape=landscape)
    else:
        _set_page(document.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)


def is_landscape(section: Any) -> bool:
    return bool(section.page_width > section.page_height)


def set_cell_text(cell: Any, value: Any) -> None:
    cell.text = "" if value is None else for_xml(str(value))


def add_table(document: Any, table: Table) -> None:
    """The table under its title and caption, its figures written as on the page; a table too
    wide for a portrait page (`kit.layout`) goes on a landscape page of its own, and the
    document carries on in portrait after it. Each column is as wide as its contents need, and
    the columns together as wide as the page."""
    wide = layout.is_wide(table)
    if wide:
        _turn_to(document, landscape=True)
    _add_table(document, table, layout.LANDSCAPE if wide else layout.PORTRAIT)
    if wide:
        _turn_to(document, landscape=False)


def _add_table(document: Any, table: Table, page: layout.Page) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    if table.title:
        document.add_heading(table.title, level=2)
    if table.caption:
        document.add_paragraph(table.caption, style="Caption")
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    # Whole twips (Word's unit for a column), rounded down: the columns together never pass
    # the page's margin.
    widths = [Twips(int(width * 72 * 20 / 25.4)) for width in layout.shared_widths_mm(table, page)]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    size = Pt(layout.font_points(table))

    def fill(cells: Any, values: list[str], *, bold: bool = False) -> None:
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = width
            set_cell_text(cell, value)
            for run in cell.paragraphs[0].runs:
                run.font.size = size
                run.bold = bold or None

    fill(grid.rows[0].cells, [label for _key, label in table.columns], bold=True)
    # Header row repeats on each page, and is marked as a header for screen readers.
    header = grid.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header.append(marker)
    for row in table.display_cells():
        fill(grid.add_row().cells, row)


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


def _table_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _plain(text: str) -> str:
    """Inline Markdown as the words it shows (a table cell holds plain text)."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: m.group(1) or m.group(2), text)


def _markdown_table(lines: list[str]) -> Table | None:
    """A Markdown table (a header row, a row of dashes, the rows) as a kit table."""
    if len(lines) < 2 or not re.fullmatch(r"[\s|:-]+", lines[1]) or "-" not in lines[1]:
        return None
    labels = [_plain(label) for label in _table_row(lines[0])]
    keys = [str(index) for index in range(len(labels))]
    rows = []
    for line in lines[2:]:
        cells = [_plain(cell) for cell in _table_row(line)][: len(keys)]
        cells += [""] * (len(keys) - len(cells))
        rows.append(dict(zip(keys, cells, strict=True)))
    return Table(key="markdown", title="", columns=list(zip(keys, labels, strict=True)), rows=rows)


def add_markdown(document: Any, source: str, *, base_level: int = 2) -> None:
    """Markdown as Word headings, bullets, numbered items, quotations, tables and paragraphs,
    in the document's own styles (its fonts, not the Markdown's)."""
    source = for_xml(source)
    paragraph_lines: list[str] = []
    quote_lines: list[str] = []
    table_lines: list[str] = []

    def flush() -> None:
        if paragraph_lines:
            _add_runs(document.add_paragraph(), " ".join(paragraph_lines))
            paragraph_lines.clear()
        if quote_lines:
            _add_runs(document.add_paragraph(style="Quote"), " ".join(quote_lines))
            quote_lines.clear()
        if table_lines:
            table = _markdown_table(table_lines)
            if table is None:
                _add_runs(document.add_paragraph(), " ".join(table_lines))
            else:
                add_table(document, table)
            table_lines.clear()

    for raw in source.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        bullet = re.match(r"^[*+-]\s+(.*)$", line)
        numbered = re.match(r"^\d+[.)]\s+(.*)$", line)
        quote = re.match(r"^>\s?(.*)$", line)
        if line.startswith("|"):
            if not table_lines:
                flush()
            table_lines.append(line)
            continue
        if table_lines:
            flush()
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
        elif quote:
            if paragraph_lines:
                flush()
            quote_lines.append(quote.group(1))
        else:
            if quote_lines:
                flush()
            paragraph_lines.append(line)
    flush()
