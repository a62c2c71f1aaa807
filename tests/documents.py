"""Reading the documents people download (Word and PDF) the way a reader meets them: what text is
on each page, how big each page is, and whether anything runs off it. Shared by the plan's, the
market position statement's and the browser's document tests."""

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from commissioning.kit import layout

POINTS_PER_MM = 72 / 25.4
A4_POINTS = (round(210 * POINTS_PER_MM), round(297 * POINTS_PER_MM))  # 595 by 842


def squeezed(text: str) -> str:
    """Text with its line breaks as spaces, and a word broken at its hyphen joined again."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


@dataclass
class PdfPage:
    width: float
    height: float
    text: str
    # Where each piece of text starts, left to right, in points from the page's left edge.
    starts: list[tuple[float, str]]

    @property
    def size(self) -> tuple[int, int]:
        return round(self.width), round(self.height)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def pdf_pages(content: bytes) -> list[PdfPage]:
    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        starts: list[tuple[float, str]] = []

        def visit(
            text: str, cm: Any, tm: Any, _font: Any, _size: Any, starts: list = starts
        ) -> None:
            if text.strip():
                starts.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], text.strip()))

        text = page.extract_text(visitor_text=visit)
        pages.append(PdfPage(float(page.mediabox.width), float(page.mediabox.height), text, starts))
    return pages


def pdf_is_tagged(content: bytes) -> bool:
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    return "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])


def text_past_the_margin(page: PdfPage) -> list[str]:
    """Text that starts beyond the page's right margin: a table wider than its page."""
    edge = page.width - layout.SIDE_MARGIN_MM * POINTS_PER_MM
    return [text for x, text in page.starts if x > edge]


def word_sections_of_tables(document: Any) -> list[int]:
    """For each table of a Word document, the index of the section it is in."""
    found, section = [], 0
    for block in document.element.body:
        if block.tag == qn("w:tbl"):
            found.append(section)
        elif block.tag == qn("w:p") and block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    return found


def word_document(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def usable_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def table_width(grid: Any) -> int:
    return sum(int(column.width) for column in grid.columns)


def check_word(content: bytes, tables: list[Any], numbers: list[str]) -> None:
    """Every page A4; every table no wider than its page; every column header of `tables` in
    the header row of a table; `numbers` written as on the page; captions apart from titles."""
    document = word_document(content)
    for section in document.sections:
        size = sorted((round(section.page_width.mm), round(section.page_height.mm)))
        assert size == [210, 297], size
    sections = document.sections
    for grid, index in zip(document.tables, word_sections_of_tables(document), strict=True):
        assert table_width(grid) <= usable_width(sections[index]) + 1, grid.rows[0].cells[0].text
    headers = [[cell.text for cell in grid.rows[0].cells] for grid in document.tables]
    for table in tables:
        labels = [label for _key, label in table.columns]
        assert labels in headers, (table.title, labels)
        index = headers.index(labels)
        if len(labels) > layout.PORTRAIT_COLUMNS:
            assert (
                sections[word_sections_of_tables(document)[index]].page_width
                > sections[word_sections_of_tables(document)[index]].page_height
            ), table.title
    cells = {cell.text for grid in document.tables for row in grid.rows for cell in row.cells}
    for number in numbers:
        assert number in cells, number
    paragraphs = [p.text for p in document.paragraphs]
    for table in tables:
        if table.caption:
            pairs = list(itertools.pairwise(paragraphs))
            assert (table.title, table.caption) in pairs, table.title


def check_pdf(content: bytes, tables: list[Any], numbers: list[str]) -> None:
    """Every page A4 and tagged; no text past any page's margin; every column header of `tables`
    in the text; a wide table on a landscape page; numbers as on the page; a table's title and
    caption apart."""
    assert pdf_is_tagged(content)
    pages = pdf_pages(content)
    for page in pages:
        assert sorted(page.size) == sorted(A4_POINTS), page.size
        assert not text_past_the_margin(page), text_past_the_margin(page)
    text = squeezed(" ".join(page.text for page in pages))
    for table in tables:
        for _key, label in table.columns:
            assert squeezed(label) in text, (table.title, label)
        if table.caption:
            # "Supply against need2026" is a title run into its caption.
            assert squeezed(table.title) + table.caption[:4] not in text, table.title
        holding = [page for page in pages if squeezed(table.title) in squeezed(page.text)]
        assert holding, table.title
        if table.wide:
            assert any(page.landscape for page in holding), table.title
    for number in numbers:
        assert number in text, number
