"""A consultation's responses as CSV (streamed) and XLSX, one row a response. Text that a
spreadsheet would run as a formula is written as text."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext
from openpyxl import Workbook

from commissioning.engagement import selectors
from commissioning.engagement.models import Consultation
from commissioning.kit.tables import safe_cell


def responses_csv(consultation: Consultation) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> bytes:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value.encode("utf-8")

    buffer.write("\ufeff")  # BOM: Excel then reads UTF-8
    writer.writerow([safe_cell(heading) for heading in selectors.response_headings(consultation)])
    yield flush()
    for number, row in enumerate(selectors.response_rows(consultation), start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if number % 500 == 0:
            yield flush()
    yield flush()


def responses_xlsx(consultation: Consultation) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Responses")[:31])
    sheet.append([safe_cell(h) for h in selectors.response_headings(consultation)])
    for row in selectors.response_rows(consultation):
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
