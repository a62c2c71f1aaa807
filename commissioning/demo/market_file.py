"""Writes a CQC "care directory with filters" workbook (HSCA Active Locations) in the real
layout, with fictional providers at plausible places: a few dozen in the demo's three areas,
or 50,000 across every English local authority for the benchmark. Names are invented; the
layout, ID formats, service types, bands and ratings are CQC's.

Pure: no Django (the demo loader and the benchmark both call it).
"""

import random
import zipfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

HEADER = [
    "Location ID", "Location ODS Code", "Location Name", "Location Also Known As",
    "Location HSCA start date", "Dormant (Y/N)", "Care home?", "Care homes beds",
    "Location Type/Sector", "Location Inspection Directorate",
    "Location Primary Inspection Category", "Location Latest Overall Rating",
    "Publication Date", "Inherited Rating (Y/N)", "Location Region",
    "Location Local Authority", "Location ONSPD CCG Code", "Location Street Address",
    "Location Address Line 2", "Location City", "Location County", "Location Postal Code",
    "Location Latitude", "Location Longitude", "Location Telephone Number",
    "Location Web Address", "Provider ID", "Provider Name", "Provider Companies House Number",
    "Provider Charity Number", "Provider Type/Sector", "Provider Ownership Type",
    "Regulated activity - Accommodation for persons who require nursing or personal care",
    "Regulated activity - Personal care",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Domiciliary care service", "Service type - Supported living service",
    "Service type - Extra Care housing services", "Service type - Shared Lives",
    "Service type - Community based services for people with mental health needs",
    "Service type - Doctors consultation service",
    "Service user band - Dementia", "Service user band - Older People",
    "Service user band - Younger Adults",
    "Service user band - Learning disabilities or autistic spectrum disorder",
    "Service user band - Mental Health", "Service user band - Physical Disability",
]  # fmt: skip
PREAMBLE = [
    ["Care directory with filters"],
    ["HSCA Active Locations"],
    ["Demonstration data: fictional providers in the real layout"],
    [],
    ["Contains public sector information licensed under the Open Government Licence v3.0."],
    [],
]

# (kind, share of locations, service type columns, beds range)
KINDS = [
    ("nursing", 0.16, ["Service type - Care home service with nursing"], (30, 90)),
    ("residential", 0.22, ["Service type - Care home service without nursing"], (12, 60)),
    (
        "dual",
        0.06,
        [
            "Service type - Care home service with nursing",
            "Service type - Care home service without nursing",
        ],
        (40, 100),
    ),
    ("home_care", 0.34, ["Service type - Domiciliary care service"], None),
    ("supported", 0.1, ["Service type - Supported living service"], None),
    ("extra_care", 0.04, ["Service type - Extra Care housing services"], None),
    (
        "mental_health",
        0.03,
        ["Service type - Community based services for people with mental health needs"],
        None,
    ),
    ("gp", 0.05, ["Service type - Doctors consultation service"], None),
]
FIRST = ["Oak", "Ash", "Willow", "Heather", "Beacon", "Riverside", "Meadow", "Elm", "Rowan",
         "Hawthorn", "Larch", "Moor", "Valley", "Harbour", "Abbey", "Priory", "Brook",
         "Fell"]  # fmt: skip
SECOND = ["House", "Lodge", "Court", "View", "Grange", "Manor", "Gardens", "Hall", "Park"]
PROVIDER_WORDS = ["Care", "Healthcare", "Homecare", "Support", "Living", "Community Care"]
RATINGS = ["Outstanding", "Good", "Good", "Good", "Good", "Requires improvement", "Inadequate", ""]


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    district = f"{rng.choice(['DL', 'TS', 'DH', 'NE', 'SR'])}{rng.randint(1, 20)}"
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def write_hsca_workbook(
    path: Path,
    *,
    areas: Sequence[tuple[str, str, float, float]],
    locations: int,
    seed: int = 2026,
    spread: float = 0.08,
) -> Path:
    """`areas` are (local authority name, region, latitude, longitude) of a point in each; the
    locations are spread around those points, and about one provider in three runs several."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    workbook = Workbook(write_only=True)
    notes = workbook.create_sheet("Read me")
    notes.append(["Read me"])
    notes.append(["Demonstration data in the layout of CQC's care directory with filters."])
    sheet = workbook.create_sheet("HSCA_Active_Locations")
    for line in PREAMBLE:
        sheet.append(line)
    sheet.append(HEADER)
    kinds = list(KINDS)
    weights = [k[1] for k in KINDS]
    providers: list[tuple[str, str, str, str, str]] = []
    start = datetime(2026, 10, 1)
    for number in range(locations):
        area, region, lat, lon = areas[number % len(areas)]
        if providers and rng.random() < 0.35:
            provider = rng.choice(providers)
        else:
            index = len(providers)
            sector = rng.choices(["Independent", "Charity", "Local Authority"], [0.8, 0.15, 0.05])[
                0
            ]
            name = f"{rng.choice(FIRST)} {rng.choice(PROVIDER_WORDS)} {index}"
            if sector == "Charity":
                name += " Trust"
            elif sector == "Local Authority":
                name = f"{area} Council Care Services {index}"
            else:
                name += " Ltd"
            provider = (
                f"1-{100000000 + index * 7}",
                name,
                f"{10000000 + index:08d}" if sector == "Independent" else "",
                f"{1100000 + index}" if sector == "Charity" else "",
                "Local Authority" if sector == "Local Authority" else "Social Care Org",
            )
            providers.append(provider)
        kind, _share, columns, beds = rng.choices(kinds, weights)[0]
        row: dict[str, object] = {
            "Location ID": f"1-{200000000 + number * 13}",
            "Location Name": f"{rng.choice(FIRST)} {rng.choice(SECOND)} {number}",
            "Location HSCA start date": start - timedelta(days=rng.randint(100, 5000)),
            "Dormant (Y/N)": "N",
            "Care home?": "Y" if beds else "N",
            "Care homes beds": rng.randint(*beds) if beds else None,
            "Location Type/Sector": "Social Care Org"
            if kind != "gp"
            else "Primary Medical Services",
            "Location Latest Overall Rating": rng.choice(RATINGS),
            "Publication Date": start - timedelta(days=rng.randint(10, 1500)),
            "Location Region": region,
            "Location Local Authority": area,
            "Location Street Address": f"{rng.randint(1, 200)} {rng.choice(FIRST)} Road",
            "Location City": area,
            "Location Postal Code": _postcode(rng),
            "Location Latitude": round(lat + rng.uniform(-spread, spread), 5),
            "Location Longitude": round(lon + rng.uniform(-spread * 1.6, spread * 1.6), 5),
            "Location Telephone Number": f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
            "Provider ID": provider[0],
            "Provider Name": provider[1],
            "Provider Companies House Number": provider[2] or None,
            "Provider Charity Number": provider[3] or None,
            "Provider Type/Sector": provider[4],
            "Provider Ownership Type": "Organisation",
            "Service user band - Older People": "Y" if kind != "supported" else None,
            "Service user band - Dementia": "Y" if kind in ("nursing", "dual") else None,
            "Service user band - Learning disabilities or autistic spectrum disorder": "Y"
            if kind == "supported"
            else None,
            "Service user band - Mental Health": "Y" if kind == "mental_health" else None,
        }
        if not row["Location Latest Overall Rating"]:
            row["Location Latest Overall Rating"] = "Not yet rated"
            row["Publication Date"] = None
        for column in columns:
            row[column] = "Y"
        sheet.append([row.get(name) for name in HEADER])
    workbook.save(path)
    _declare_dimension(path, "xl/worksheets/sheet2.xml", len(PREAMBLE) + 1 + locations)
    return path


def _declare_dimension(path: Path, part: str, rows: int) -> None:
    """Excel writes each sheet's extent (<dimension>) near its top and readers rely on it to
    stream; openpyxl's write-only mode leaves it out, so put it in as Excel would."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    extent = f'<dimension ref="A1:{get_column_letter(len(HEADER))}{rows}"/>'.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == part:
                data = data.replace(b"</sheetPr>", b"</sheetPr>" + extent, 1)
            target.writestr(info, data)
