"""Reading a file whose layout is known, streamed, into `LocationRecord`s: the rows under
the header of a CSV or a sheet, and the record each layout's row makes. Pure: no Django."""

import csv
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commissioning.kit import tabular
from commissioning.kit.phrases import Phrase, gettext_noop
from commissioning.market.cqc.detection import (
    _cell,
    _check_size,
    _ods_formula,
    _records,
    _refuse_formulas,
    _sniff,
    _Workbook,
    detect_layout,
)
from commissioning.market.cqc.layouts import (
    _SERVICE_TYPE,
    _SERVICE_TYPE_COLUMN,
    _USER_BAND,
    CARE_DIRECTORY_COLUMNS,
    CARE_DIRECTORY_REQUIRED,
    DEFAULT_MAX_BYTES,
    GENERIC_FIELDS,
    GENERIC_LABELS,
    GENERIC_REQUIRED,
    HSCA_COLUMNS,
    HSCA_REQUIRED,
    LIMITS,
    MAX_BEDS,
    CqcFileError,
    Layout,
    LocationRecord,
    PathLike,
    Progress,
    _display,
    _found,
    _Guess,
    _header_text,
    _key,
    _match,
    _missing,
    _one_hot,
    _shown,
    _where,
    suggest_mapping,
)
from commissioning.market.cqc.values import (
    _NO,
    _YES,
    _blank,
    _clean,
    _phone,
    _postcode,
    _Row,
    _spaced,
    _terms,
)

_ = gettext_noop

PROGRESS_EVERY = 4096  # rows between calls to `progress`


def read_locations(
    path: PathLike,
    *,
    layout: Layout | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[LocationRecord]:
    """The services in `path`, streamed. `layout` is what `detect_layout` found (detected
    again when not given). `mapping` (generic layout only) maps our fields (`GENERIC_FIELDS`)
    to the file's column names; without one, `suggest_mapping`'s is used. `progress` is called
    with (bytes read, file size) for a CSV or (rows read, rows in the sheet) for a workbook
    every few thousand rows, and once at the end.

    The file's size, layout and mapping are checked when this is called; every other problem
    is raised while iterating, so read to the end before keeping anything."""
    if layout is None:
        layout = detect_layout(path, max_bytes=max_bytes)
    else:
        _check_size(path, max_bytes)
    if layout.name == "cqc_care_directory":
        plan = _care_directory_plan(layout)
    elif layout.name == "cqc_hsca_workbook":
        plan = _hsca_plan(layout)
    elif layout.name == "generic":
        plan = _generic_plan(layout, mapping)
    else:
        raise ValueError(f"unknown layout {layout.name!r}")
    kind = _sniff(path)
    if layout.sheet is None:
        if layout.encoding is None or layout.delimiter is None:
            raise ValueError("a CSV layout needs its encoding and delimiter")
        if kind != "csv":
            raise CqcFileError("header_changed", found=Phrase(_("a workbook, not a CSV file")))
        rows = _csv_rows(path, layout, progress)
    else:
        if kind == "csv":
            raise CqcFileError("header_changed", found=Phrase(_("a CSV file, not a workbook")))
        rows = _sheet_rows(path, kind, layout, progress)
    return _locations(rows, plan, layout)


@dataclass(frozen=True)
class _Plan:
    """Where each of our fields is in a layout's rows, and how to read them."""

    layout: str
    columns: dict[str, int]
    service_types: tuple[tuple[int, str], ...] = ()  # one-hot columns and the term each means
    user_bands: tuple[tuple[int, str], ...] = ()


def _care_directory_plan(layout: Layout) -> _Plan:
    columns = _match(layout.header, CARE_DIRECTORY_COLUMNS)
    missing = [f for f in CARE_DIRECTORY_REQUIRED if f not in columns]
    if missing:
        guess = _Guess(
            layout.name,
            layout.header_line,
            layout.header,
            tuple(_display(CARE_DIRECTORY_COLUMNS, f) for f in missing),
        )
        raise _missing(guess, **_where(layout.sheet))
    return _Plan(layout.name, columns)


def _hsca_plan(layout: Layout) -> _Plan:
    columns = _match(layout.header, HSCA_COLUMNS)
    service_types = _one_hot(layout.header, _SERVICE_TYPE)
    missing = [_display(HSCA_COLUMNS, f) for f in HSCA_REQUIRED if f not in columns]
    if not service_types:
        missing.append(_SERVICE_TYPE_COLUMN)
    if missing:
        guess = _Guess(layout.name, layout.header_line, layout.header, tuple(missing))
        raise _missing(guess, **_where(layout.sheet))
    return _Plan(
        layout.name,
        columns,
        service_types=tuple(service_types),
        user_bands=tuple(_one_hot(layout.header, _USER_BAND)),
    )


def _generic_plan(layout: Layout, mapping: Mapping[str, str] | None) -> _Plan:
    if mapping is None:
        mapping = suggest_mapping(layout.header)
    unknown = sorted(set(mapping) - set(GENERIC_FIELDS))
    if unknown:
        raise ValueError(f"not fields that can be mapped: {', '.join(unknown)}")
    where = _where(layout.sheet)
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    for index, name in enumerate(layout.header):
        exact.setdefault(name, index)
        loose.setdefault(_key(name), index)
    columns: dict[str, int] = {}
    for field in GENERIC_FIELDS:
        column = mapping.get(field)
        if not column:
            continue
        found = exact.get(column, loose.get(_key(column)))
        if found is None:
            raise CqcFileError(
                "mapping_column",
                line=layout.header_line,
                value=_shown(column),
                field=GENERIC_LABELS[field],
                found=_found(layout.header),
                **where,
            )
        columns[field] = found
    missing = [field for field in GENERIC_REQUIRED if field not in columns]
    if missing:
        listed = ", ".join(f"{{f{i}}}" for i in range(len(missing)))
        raise CqcFileError(
            "mapping",
            fields=Phrase(listed, **{f"f{i}": GENERIC_LABELS[f] for i, f in enumerate(missing)}),
            missing=", ".join(missing),
            **where,
        )
    return _Plan(layout.name, columns)


def _header_check(found: Sequence[Any], layout: Layout) -> None:
    header = [_header_text(cell) for cell in found]
    expected = list(layout.header)
    for names in (header, expected):
        while names and not names[-1]:
            names.pop()
    if header != expected:
        raise CqcFileError(
            "header_changed",
            line=layout.header_line,
            found=_found(header),
            **_where(layout.sheet),
        )


def _csv_rows(
    path: PathLike, layout: Layout, progress: Progress | None
) -> Iterator[tuple[int, Sequence[Any]]]:
    """(line, fields) of each non-blank row under the header, with a width check and
    progress as bytes read."""
    assert layout.encoding is not None and layout.delimiter is not None
    total = os.path.getsize(path)
    raw, text = tabular.open_text(path, layout.encoding)
    width = len(layout.header)
    line = layout.header_line
    seen = 0
    header_seen = False
    with raw, text:
        try:
            reader = csv.reader(text, delimiter=layout.delimiter)
            for line, row in _records(reader):
                if line < layout.header_line:
                    continue
                if line == layout.header_line:
                    _header_check(row, layout)
                    header_seen = True
                    continue
                if len(row) != width:
                    if not any(value.strip() for value in row):
                        continue
                    if len(row) < width or any(value.strip() for value in row[width:]):
                        raise CqcFileError("row_length", line=line, expected=width, found=len(row))
                seen += 1
                if progress is not None and seen % PROGRESS_EVERY == 0:
                    progress(min(raw.tell(), total), total)
                yield line, row
        except UnicodeDecodeError:
            raise CqcFileError("encoding", line=line) from None
    if not header_seen:
        _header_check((), layout)
    if progress is not None:
        progress(total, total)


def _sheet_rows(
    path: PathLike, kind: str, layout: Layout, progress: Progress | None
) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, cells) of each non-blank row under the header, refusing formulas, with
    progress as rows read of the rows the sheet claims."""
    sheet = layout.sheet
    assert sheet is not None
    if kind == "ods":
        try:
            formula = _ods_formula(path, sheet)
        except Exception as exc:
            raise CqcFileError("unreadable", reason=type(exc).__name__) from None
        if formula is not None:
            cell = _cell(formula[1], formula[0])
            raise CqcFileError("formula", line=formula[0], column=cell, cell=cell, sheet=sheet)
    with _Workbook(path, kind) as workbook:
        try:
            if sheet not in workbook.sheets():
                raise CqcFileError(
                    "header_changed",
                    found=Phrase(_("no sheet {sheet}"), sheet=sheet),
                )
            claimed, rows = workbook.rows(sheet, layout.header_line)
            number = layout.header_line
            header_seen = False
            for number, row in rows:
                if number == layout.header_line:
                    _refuse_formulas(row, number, sheet)
                    _header_check(row, layout)
                    header_seen = True
                    continue
                if progress is not None and number % PROGRESS_EVERY == 0 and claimed:
                    progress(min(number, claimed), claimed)
                if all(value is None or value == "" for value in row):
                    continue
                _refuse_formulas(row, number, sheet)
                yield number, row
        except CqcFileError:
            raise
        except Exception as exc:
            raise CqcFileError("unreadable", reason=type(exc).__name__, sheet=sheet) from None
    if not header_seen:
        _header_check((), layout)
    if progress is not None:
        total = max(claimed, number)
        progress(total, total)


def _locations(
    rows: Iterator[tuple[int, Sequence[Any]]], plan: _Plan, layout: Layout
) -> Iterator[LocationRecord]:
    build = {
        "cqc_care_directory": _care_directory_record,
        "cqc_hsca_workbook": _hsca_record,
        "generic": _generic_record,
    }[plan.layout]
    first_lines: dict[str, int] = {}
    made = 0
    for line, values in rows:
        row = _Row(values, line, plan.columns, layout.header, layout.sheet)
        if all(_blank(row.raw(f)) for f in ("location_id", "name", "provider_name")):
            continue  # a note under the table
        record = build(row, plan)
        if record.location_id is not None:
            first = first_lines.setdefault(record.location_id, line)
            if first != line:
                if layout.sheet:
                    earlier = Phrase(_("row {number}"), number=first)
                    this = Phrase(_("row {number}"), number=line)
                else:
                    earlier = Phrase(_("line {number}"), number=first)
                    this = Phrase(_("line {number}"), number=line)
                raise CqcFileError(
                    "duplicate",
                    line=line,
                    column=row.column("location_id"),
                    value=record.location_id,
                    first=earlier,
                    this=this,
                    first_line=first,
                    **row.where,
                )
        made += 1
        yield record
    if not made:
        raise CqcFileError(
            "empty",
            what=Phrase(_("The file has a header row but no services under it")),
            **_where(layout.sheet),
        )


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _care_directory_record(row: _Row, plan: _Plan) -> LocationRecord:
    location_id = row.cqc_id("location_id", required=True)
    provider_id = row.cqc_id("provider_id", required=True)
    return LocationRecord(
        line=row.line,
        location_id=location_id,
        provider_id=provider_id,
        provider_name=row.required("provider_name"),
        name=row.required("name"),
        also_known_as=row.text("also_known_as"),
        address=_spaced(row.text("address", breaks=", ")),
        postcode=_postcode(row.text("postcode")),
        local_authority=row.text("local_authority"),
        area_code=None,
        region=row.text("region"),
        latitude=None,
        longitude=None,
        service_types=_terms(row.text("service_types")),
        user_bands=_terms(row.text("user_bands")),
        beds=None,
        rating=None,
        rating_date=row.date("rating_date"),
        phone=_phone(row.text("phone")),
        website=row.text("website"),
        provider_sector=None,
        charity_number=None,
        company_number=None,
        dormant=False,
    )


def _ticked(row: _Row, columns: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    """The terms of the one-hot columns marked Y (or yes, true, 1) in the row."""
    terms = []
    for index, term in columns:
        value = row.row[index] if index < len(row.row) else None
        if value is None:
            continue
        if isinstance(value, bool):
            ticked: bool | None = value
        elif isinstance(value, (int, float)) and value in (0, 1):
            ticked = bool(value)
        else:
            text = _clean(value).casefold()
            ticked = True if text in _YES else False if text in _NO else None
        if ticked:
            terms.append(term)
        elif ticked is None:
            raise CqcFileError(
                "yes_no",
                line=row.line,
                column=row.name_of(index),
                value=_shown(_clean(value)),
                **row.where,
            )
    return tuple(terms)


def _hsca_record(row: _Row, plan: _Plan) -> LocationRecord:
    location_id = row.cqc_id("location_id", required=True)
    provider_id = row.cqc_id("provider_id", required=True)
    provider_name = row.required("provider_name")
    name = row.required("name")
    address = _join(
        row.text("address", breaks=", "),
        row.text("address_line_2"),
        row.text("town"),
        row.text("county"),
    )
    if len(address) > LIMITS["address"]:
        raise row.refuse("too_long", "address", length=len(address), limit=LIMITS["address"])
    latitude, longitude = row.coordinates()
    return LocationRecord(
        line=row.line,
        location_id=location_id,
        provider_id=provider_id,
        provider_name=provider_name,
        name=name,
        also_known_as=row.text("also_known_as"),
        address=address,
        postcode=_postcode(row.text("postcode")),
        local_authority=row.text("local_authority"),
        area_code=None,
        region=row.text("region"),
        latitude=latitude,
        longitude=longitude,
        service_types=_ticked(row, plan.service_types),
        user_bands=_ticked(row, plan.user_bands),
        beds=row.whole("beds", MAX_BEDS),
        rating=row.rating("rating"),
        rating_date=row.date("rating_date"),
        phone=_phone(row.text("phone")),
        website=row.text("website"),
        provider_sector=row.optional("provider_sector") or row.optional("provider_ownership"),
        charity_number=row.optional("charity_number"),
        company_number=row.company_number("company_number"),
        dormant=row.yes("dormant"),
    )


def _generic_record(row: _Row, plan: _Plan) -> LocationRecord:
    location_id = row.cqc_id("location_id", required=False)
    provider_id = row.cqc_id("provider_id", required=False)
    provider_name = row.required("provider_name")
    name = row.required("name")
    service_types = _terms(row.required("service_types"))
    address = _join(
        row.text("address", breaks=", "),
        row.text("address_line_2"),
        row.text("town"),
        row.text("county"),
    )
    if len(address) > LIMITS["address"]:
        raise row.refuse("too_long", "address", length=len(address), limit=LIMITS["address"])
    latitude, longitude = row.coordinates()
    return LocationRecord(
        line=row.line,
        location_id=location_id,
        provider_id=provider_id,
        provider_name=provider_name,
        name=name,
        also_known_as=row.text("also_known_as"),
        address=address,
        postcode=_postcode(row.text("postcode")),
        local_authority=row.text("local_authority"),
        area_code=row.area_code("area_code"),
        region=row.text("region"),
        latitude=latitude,
        longitude=longitude,
        service_types=service_types,
        user_bands=_terms(row.text("user_bands")),
        beds=row.whole("beds", MAX_BEDS),
        rating=row.rating("rating"),
        rating_date=row.date("rating_date"),
        phone=row.text("phone"),
        website=row.text("website"),
        provider_sector=row.optional("provider_sector"),
        charity_number=row.optional("charity_number"),
        company_number=row.company_number("company_number"),
        dormant=row.yes("dormant") if "dormant" in row.columns else False,
        capacity=row.count("capacity"),
        capacity_unit=row.optional("capacity_unit"),
        description=row.text("description", breaks="\n"),
    )
