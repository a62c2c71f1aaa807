"""Word documents that hold any stored text. python-docx refuses a string with a control
character that XML cannot hold, and one such character in a provider's name or a plan's section
would stop the whole document: text given to a heading, paragraph, table cell or the document's
properties goes through `for_xml` first."""

from typing import Any

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


def document() -> PlainTextDocument:
    from docx import Document

    return PlainTextDocument(Document())


def set_cell_text(cell: Any, value: Any) -> None:
    cell.text = "" if value is None else for_xml(str(value))
