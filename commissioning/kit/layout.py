"""How a table is laid out on paper, one answer for every document (Word and PDF): A4 pages,
their margins, the size of a table's text, and whether a table is too wide for a portrait page
(it then goes on a landscape page of its own).

"Too wide" is measured, not guessed from the title: each column needs room for its longest word
(a word never breaks across lines) and, up to a readable measure, for its longest cell, so a
column of figures keeps each figure on one line and a column of sentences gets a few words a
line. The table is wide when those widths, at the table's text size, add up to more than a
portrait page holds, or when it has more columns than a portrait page can show side by side.
Pure (no Django)."""

from dataclasses import dataclass

from commissioning.kit.tables import Table

MM_PER_POINT = 25.4 / 72
A4_MM = (210.0, 297.0)
# Left and right margins; the top and bottom ones are a little deeper for the page numbers.
SIDE_MARGIN_MM = 16.0
END_MARGIN_MM = 18.0
TABLE_FONT_POINTS = 8.5
# A wide table's text may be set smaller, down to this, so that it fits its landscape page.
SMALLEST_TABLE_FONT_POINTS = 7.0
# An average character of a sans-serif face (DejaVu Sans, Calibri) at 1 point, in points; bold
# text and capitals run wider, so this leans generous.
CHARACTER_EM = 0.58
# Left and right padding and rule of one cell, in points.
CELL_PADDING_POINTS = 9.0
# A column of text gets room for this many characters a line, or its longest cell if shorter.
READABLE_CHARACTERS = 14
# More columns than this do not fit side by side on a portrait page whatever they hold.
PORTRAIT_COLUMNS = 7


@dataclass(frozen=True)
class Page:
    width_mm: float
    height_mm: float

    @property
    def landscape(self) -> bool:
        return self.width_mm > self.height_mm

    @property
    def usable_width_mm(self) -> float:
        return self.width_mm - 2 * SIDE_MARGIN_MM


PORTRAIT = Page(*A4_MM)
LANDSCAPE = Page(A4_MM[1], A4_MM[0])


def _words(text: str) -> list[str]:
    return text.split() or [""]


def column_widths_mm(table: Table, font_points: float = TABLE_FONT_POINTS) -> list[float]:
    """The width each column needs, in millimetres: its longest word, and up to
    READABLE_CHARACTERS of its longest cell, at `font_points`, plus the cell's padding."""
    texts = [[label] for _key, label in table.columns]
    for row in table.display_cells():
        for column, value in zip(texts, row, strict=True):
            column.append(value)
    widths = []
    for column in texts:
        longest_word = max(len(word) for text in column for word in _words(text))
        longest_cell = max(len(text) for text in column[1:]) if len(column) > 1 else 0
        characters = max(longest_word, min(longest_cell, READABLE_CHARACTERS))
        points = characters * CHARACTER_EM * font_points + CELL_PADDING_POINTS
        widths.append(points * MM_PER_POINT)
    return widths


def fits(table: Table, page: Page, font_points: float = TABLE_FONT_POINTS) -> bool:
    return sum(column_widths_mm(table, font_points)) <= page.usable_width_mm


def font_points(table: Table) -> float:
    """The size of the table's text: the usual one, or for a wide table the largest, in half
    points down to SMALLEST_TABLE_FONT_POINTS, at which it fits its landscape page (Welsh
    words run longer than English ones)."""
    if not is_wide(table):
        return TABLE_FONT_POINTS
    size = TABLE_FONT_POINTS
    while size > SMALLEST_TABLE_FONT_POINTS and not fits(table, LANDSCAPE, size):
        size -= 0.5
    return size


def is_wide(table: Table) -> bool:
    """Whether the table needs a landscape page."""
    return len(table.columns) > PORTRAIT_COLUMNS or not fits(table, PORTRAIT)


def page_for(table: Table) -> Page:
    return LANDSCAPE if is_wide(table) else PORTRAIT


def shared_widths_mm(table: Table, page: Page) -> list[float]:
    """The page's usable width shared out between the columns in proportion to what each
    needs, never below what it needs while the page has room for all of them."""
    needed = column_widths_mm(table, font_points(table))
    total = sum(needed)
    usable = page.usable_width_mm
    if total >= usable:
        return [width * usable / total for width in needed]
    # Share the room left over by each column's longest cell, so text columns widen first.
    spare = usable - total
    wants = [
        max(len(text) for text in [label, *column]) for (_key, label), column in _columns(table)
    ]
    weight = sum(wants) or 1
    return [width + spare * want / weight for width, want in zip(needed, wants, strict=True)]


def _columns(table: Table) -> list[tuple[tuple[str, str], list[str]]]:
    cells = table.display_cells()
    return [(column, [row[index] for row in cells]) for index, column in enumerate(table.columns)]
