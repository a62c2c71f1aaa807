"""The Word pieces every app's documents share (`kit.word`): a table whose header row is marked
and repeats on each page, a picture with alternative text, Markdown as Word structure."""

import io

from docx import Document
from docx.oxml.ns import qn

from commissioning.kit import word
from commissioning.kit.tables import Table


def _reopened(document: word.PlainTextDocument) -> object:
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def _png() -> bytes:
    # The smallest picture python-docx reads: one white pixel.
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
    )


def test_a_table_has_its_title_caption_bold_header_marked_to_repeat_and_every_cell():
    table = Table(
        key="t",
        title="Beds by area",
        caption="Care home beds, 2024",
        columns=[("area", "Area"), ("beds", "Beds")],
        rows=[{"area": "Durham\x0b", "beds": 120}, {"area": "Hartlepool", "beds": None}],
    )
    document = word.document()
    word.add_table(document, table)
    reopened = _reopened(document)
    texts = [p.text for p in reopened.paragraphs]
    assert texts[:2] == ["Beds by area", "Care home beds, 2024"]
    grid = reopened.tables[0]
    assert [[c.text for c in row.cells] for row in grid.rows] == [
        ["Area", "Beds"],
        ["Durham", "120"],  # a character XML cannot hold is left out
        ["Hartlepool", ""],
    ]
    assert all(run.bold for cell in grid.rows[0].cells for run in cell.paragraphs[0].runs)
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert grid.style.name == "Table Grid"


def test_a_picture_carries_its_description():
    document = word.document()
    word.add_picture(document, _png(), "Map of services\x00")
    reopened = _reopened(document)
    descriptions = [element.get("descr") for element in reopened.element.body.iter(qn("wp:docPr"))]
    assert descriptions == ["Map of services"]


def test_markdown_becomes_headings_lists_and_paragraphs():
    document = word.document()
    word.add_markdown(
        document,
        "# Why\n\nOlder people **want** to stay at home,\n*mostly*.\n\n"
        "- one [link](https://example.org)\n- two\n\n1. first\n",
    )
    reopened = _reopened(document)
    shown = [(p.style.name, p.text) for p in reopened.paragraphs]
    assert shown == [
        ("Heading 2", "Why"),
        ("Normal", "Older people want to stay at home, mostly."),
        ("List Bullet", "one link (https://example.org)"),
        ("List Bullet", "two"),
        ("List Number", "first"),
    ]
    runs = reopened.paragraphs[1].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs if r.text.strip()] == [
        ("Older people ", False, False),
        ("want", True, False),
        (" to stay at home, ", False, False),
        ("mostly", False, True),
        (".", False, False),
    ]


def _cm(length) -> float:
    return round(length.cm, 1)


def test_a_document_is_a4_and_a_table_too_wide_for_portrait_has_a_landscape_page():
    narrow = Table(key="n", title="Narrow", columns=[("a", "A"), ("b", "B")], rows=[])
    wide = Table(
        key="w",
        title="Supply against need",
        columns=[(f"c{i}", f"Column {i}") for i in range(word.PORTRAIT_COLUMNS + 1)],
        rows=[{f"c{i}": i for i in range(word.PORTRAIT_COLUMNS + 1)}],
    )
    document = word.document()
    word.add_table(document, narrow)
    word.add_table(document, wide)
    document.add_paragraph("After the wide table")
    sections = _reopened(document).sections
    pages = [(_cm(s.page_width), _cm(s.page_height)) for s in sections]
    # Portrait for the narrow table, landscape for the wide one, portrait again after it.
    assert pages == [(21.0, 29.7), (29.7, 21.0), (21.0, 29.7)]
    reopened = _reopened(document)
    assert len(reopened.tables[1].columns) == word.PORTRAIT_COLUMNS + 1
