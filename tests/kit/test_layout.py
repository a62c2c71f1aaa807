"""The one measure of a table too wide for a portrait page (`kit.layout`), and cells written as
people read them (`kit.tables.display`), shared by the page, Word and PDF."""

from decimal import Decimal

from commissioning.kit import layout
from commissioning.kit.tables import Table, display


def test_numbers_are_grouped_in_thousands_and_text_is_left_as_it_is():
    assert display(21130) == "21,130"
    assert display(1205.0) == "1,205.0"
    assert display(-1234567.25) == "-1,234,567.25"
    assert display(Decimal("1250.00")) == "1,250.00"
    assert display(0.06) == "0.06"
    assert display("£1,250") == "£1,250"
    assert display("2026: 82.5") == "2026: 82.5"  # a year in text is not a number to group
    assert display(None) == "\u2013"


def _table(columns: int, text: str = "12") -> Table:
    keys = [f"c{i}" for i in range(columns)]
    return Table(
        key="t",
        title="T",
        columns=[(key, f"Column {key}") for key in keys],
        rows=[dict.fromkeys(keys, text)],
    )


def test_a_table_is_wide_by_its_columns_or_by_what_they_hold():
    assert not layout.is_wide(_table(4))
    assert layout.is_wide(_table(layout.PORTRAIT_COLUMNS + 1))
    # Seven columns of long words do not fit a portrait page side by side.
    assert layout.is_wide(_table(7, "Herfindahl-Hirschman-index-of-concentration"))
    assert layout.page_for(_table(13)) == layout.LANDSCAPE


def test_shared_widths_fill_the_page_and_give_text_more_room_than_figures():
    table = Table(
        key="t",
        title="T",
        columns=[("risk", "Risk"), ("score", "Score")],
        rows=[{"risk": "Nursing homes cannot recruit enough nurses", "score": 16}],
    )
    widths = layout.shared_widths_mm(table, layout.PORTRAIT)
    assert round(sum(widths), 6) == layout.PORTRAIT.usable_width_mm
    assert widths[0] > widths[1] >= layout.column_widths_mm(table)[1]
