"""The Word pieces every app's documents share (`kit.word`): a table whose header row is marked
and repeats on each page, a picture with alternative text, Markdown as Word structure."""

import io

from docx import Document
from docx.oxml.ns import qn

from commissioning.kit import layout, word
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
        ["Hartlepool", "\u2013"],  # nothing is a dash, as on the page
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


def _usable_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def _sections_of_tables(document) -> list[int]:
    """For each table of the document, the index of the section it is in."""
    from docx.oxml.ns import qn

    found, section = [], 0
    for block in document.element.body:
        if block.tag == qn("w:tbl"):
            found.append(section)
        elif block.tag == qn("w:p") and block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    return found


def _width_cm(grid) -> float:
    return sum(column.width for column in grid.columns) / 360000


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


SUPPLY_COLUMNS = [
    ("area", "Area"),
    ("service_type", "Service type"),
    ("services", "Services"),
    ("capacity", "Capacity"),
    ("unit", "Unit"),
    ("unknown", "Services with capacity not known"),
    ("population", "People aged 65 and over"),
    ("per_1000", "Capacity per 1,000"),
    ("need", "Projected cases of Dementia"),
    ("per_case", "Capacity per case"),
    ("benchmark", "Compared with (per 1,000)"),
    ("ratio", "Per cent of comparison"),
    ("flag", "Supply"),
]


def _supply_table() -> Table:
    row = {
        "area": "County Durham",
        "service_type": "Day opportunities",
        "services": 8,
        "capacity": 1205.0,
        "unit": "people supported",
        "unknown": 0,
        "population": 125524,
        "per_1000": 3.9,
        "need": 8153,
        "per_case": 0.06,
        "benchmark": 7.01,
        "ratio": 56,
        "flag": "Under-supplied",
    }
    return Table(
        key="supply_against_need",
        title="Supply against need",
        caption="2026. Under-supplied below 90% of the comparison.",
        columns=SUPPLY_COLUMNS,
        rows=[row, {**row, "area": "Hartlepool", "population": 21459, "ratio": None}],
    )


def test_a_wide_table_fits_its_landscape_page_in_small_type_with_its_numbers_as_on_the_page():
    """The 13 columns of supply against need share a landscape page's width between them, in
    proportion to what they hold, so no word breaks a letter at a time."""
    document = word.document()
    document.add_paragraph("Before")
    word.add_table(document, _supply_table())
    reopened = _reopened(document)
    sections = reopened.sections
    (index,) = _sections_of_tables(reopened)
    section = sections[index]
    assert word.is_landscape(section)
    assert (_cm(section.page_width), _cm(section.page_height)) == (29.7, 21.0)
    grid = reopened.tables[0]
    assert _width_cm(grid) <= _usable_cm(section) + 0.01
    widths = {
        label: column.width
        for (_k, label), column in zip(SUPPLY_COLUMNS, grid.columns, strict=True)
    }
    # Each column is at least as wide as its longest word needs at the table's size.
    assert min(widths.values()) / 360000 > 1.0
    assert widths["Service type"] > widths["Services"]
    assert [c.text for c in grid.rows[0].cells] == [label for _key, label in SUPPLY_COLUMNS]
    cells = [[c.text for c in row.cells] for row in grid.rows[1:]]
    assert cells[0][3] == "1,205.0" and cells[0][6] == "125,524" and cells[0][8] == "8,153"
    assert cells[1][6] == "21,459" and cells[1][11] == "\u2013"
    sizes = {
        run.font.size.pt for row in grid.rows for c in row.cells for run in c.paragraphs[0].runs
    }
    assert sizes == {layout.font_points(_supply_table())}
    assert layout.SMALLEST_TABLE_FONT_POINTS <= min(sizes) <= layout.TABLE_FONT_POINTS
    # The caption is a paragraph of its own, apart from the title.
    texts = [p.text for p in reopened.paragraphs]
    assert texts[texts.index("Supply against need") + 1].startswith("2026.")


def test_two_wide_tables_share_one_landscape_stretch_and_no_page_is_left_empty():
    document = word.document()
    document.add_paragraph("Before")
    word.add_table(document, _supply_table())
    word.add_table(document, _supply_table())
    document.add_paragraph("After")
    reopened = _reopened(document)
    orientation = [word.is_landscape(s) for s in reopened.sections]
    assert orientation == [False, True, False]
    assert _sections_of_tables(reopened) == [1, 1]


def test_a_narrow_table_of_long_text_stays_portrait_within_the_page():
    table = Table(
        key="risks",
        title="Risk register",
        columns=[("risk", "Risk"), ("rating", "Rating"), ("mitigation", "Mitigation")],
        rows=[{"risk": "Nurses " * 30, "rating": "High", "mitigation": "A fund " * 40}],
    )
    document = word.document()
    word.add_table(document, table)
    reopened = _reopened(document)
    assert [word.is_landscape(s) for s in reopened.sections] == [False]
    assert _width_cm(reopened.tables[0]) <= _usable_cm(reopened.sections[0]) + 0.01


def test_markdown_tables_and_quotations_use_the_documents_own_styles():
    document = word.document()
    word.add_markdown(
        document,
        "Before the table.\n\n| Area | Beds |\n| --- | ---: |\n| **Durham** | 1,250 |\n\n"
        "> Carers told us\n> breaks matter.\n\nAfter.",
    )
    reopened = _reopened(document)
    shown = [(p.style.name, p.text) for p in reopened.paragraphs]
    assert shown == [
        ("Normal", "Before the table."),
        ("Quote", "Carers told us breaks matter."),
        ("Normal", "After."),
    ]
    grid = reopened.tables[0]
    assert [[c.text for c in row.cells] for row in grid.rows] == [
        ["Area", "Beds"],
        ["Durham", "1,250"],
    ]
    # No run of the Markdown names a font of its own: the document's styles decide.
    assert all(run.font.name is None for p in reopened.paragraphs for run in p.runs)
