"""Supply against need on the demo: the flags follow the thresholds, the market position
statement is public with its map, tables and documents, and a draft stays with its body."""

import csv
import io

import pytest
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from commissioning.core.models import Person
from commissioning.market import selectors, services
from commissioning.market.models import MarketAnalysis, ServiceType

STATEMENT = "Older people's care and support market, 2026 (demonstration)"


def demo_assessment():
    """The demo's needs assessment (a draft: the published statement is set against the
    population data itself, since a public statement never rests on a draft)."""
    from commissioning.needs.models import NeedsAssessment

    return NeedsAssessment.objects.get(title__startswith="Older people's needs")


@pytest.fixture
def statement(db):
    call_command("load_demo", verbosity=0)
    return MarketAnalysis.objects.get(title=STATEMENT)


def test_flags_follow_the_threshold_the_commissioner_set(statement):
    results = selectors.analysis_results(statement)
    rows = results.supply_rows
    assert {row.area_code for row in rows} == {"E06000047", "E06000005", "E06000001"}
    assert {row.flag for row in rows} >= {"under", "over"}
    for row in rows:
        if row.flag == "under":
            assert row.ratio_to_benchmark < 0.9
        elif row.flag == "over":
            assert row.ratio_to_benchmark > 1.1
        elif row.flag == "balanced":
            assert 0.9 <= row.ratio_to_benchmark <= 1.1
    # Need is the assessment's projected dementia, the population its people aged 65 and over.
    assert all(row.need and row.need > 0 for row in rows)
    assert all(row.population and row.population > row.need for row in rows)
    assert "65 and over" in results.population_label


def test_the_market_position_statement_is_public_with_map_flags_and_mix(client, statement):
    page = client.get(f"/market/analyses/{statement.pk}/").content.decode()
    for text in (
        "Market position statement",
        "Supply against need",
        "Under-supplied",
        "Map of the services analysed",
        "Sector and size of providers",
        "Herfindahl-Hirschman index",
        "How services are paid for",
    ):
        assert text in page, text
    assert "<svg" in page and 'role="img"' in page
    assert 'id="map-chart-spec"' in page and 'id="supply-chart-spec"' in page


def test_each_table_downloads_with_the_numbers_on_the_page(client, statement):
    tables = selectors.analysis_results(statement).tables
    response = client.get(f"/market/analyses/{statement.pk}/tables/supply_against_need.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Area" and len(rows) - 1 == len(tables["supply_against_need"].rows)
    response = client.get(f"/market/analyses/{statement.pk}/tables/nothing.csv")
    assert response.status_code == 404


def test_the_statement_downloads_as_word_and_tagged_pdf(client, statement):
    response = client.get(f"/market/analyses/{statement.pk}/statement.docx")
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Supply and demand" in headings and "Supply against need" in headings
    assert len(document.tables) >= 3 and len(document.inline_shapes) == 2
    pdf = PdfReader(
        io.BytesIO(client.get(f"/market/analyses/{statement.pk}/statement.pdf").content)
    )
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    assert catalog["/Lang"] == "en-gb" or str(catalog["/Lang"]).startswith("en")
    assert pdf.metadata.title == STATEMENT
    assert "Supply against need" in "".join(page.extract_text() for page in pdf.pages)


def test_publishing_needs_a_summary_and_freezes_the_statement(statement):
    commissioner = Person.objects.get(email="commissioner@northvale.example")
    draft = services.create_analysis(
        actor=commissioner,
        title="Home care market",
        organisation=statement.organisation,
        needs_assessment=demo_assessment(),
        service_types=[ServiceType.objects.get(slug="home_care")],
        year=2026,
        age_from=75,
        threshold_explanation="As before.",
    )
    with pytest.raises(Exception, match="summary"):
        services.publish_analysis(actor=commissioner, analysis=draft)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the access rule
        services.update_analysis(
            actor=commissioner,
            analysis=statement,
            service_types=[ServiceType.objects.get(slug="home_care")],
            title="Changed after publication",
        )


def test_target_thresholds_need_a_target_for_every_type_chosen(client, statement):
    client.force_login(Person.objects.get(email="commissioner@northvale.example"))
    nursing = ServiceType.objects.get(slug="care_home_nursing")
    home_care = ServiceType.objects.get(slug="home_care")
    form = {
        "title": "Targets",
        "organisation": statement.organisation.pk,
        "needs_assessment": demo_assessment().pk,
        "service_types": [nursing.pk, home_care.pk],
        "year": 2026,
        "age_from": 65,
        "basis": "target",
        "under_below": "90",
        "over_above": "110",
        "targets": "care_home_nursing = 9.5",
        "threshold_explanation": "The national average per 1,000 people aged 65 and over.",
    }
    refused = client.post("/market/analyses/new/", form)
    assert refused.status_code == 400 and "home_care" in refused.content.decode()
    accepted = client.post(
        "/market/analyses/new/", {**form, "targets": "care_home_nursing = 9.5\nhome_care = 120"}
    )
    assert accepted.status_code == 302
    analysis = MarketAnalysis.objects.get(title="Targets")
    assert analysis.targets == {"care_home_nursing": 9.5, "home_care": 120.0}
    rows = selectors.analysis_results(analysis).supply_rows
    assert {row.benchmark for row in rows if row.service_type == "care_home_nursing"} == {9.5}


def test_a_draft_is_seen_only_by_its_bodys_people(client, statement):
    commissioner = Person.objects.get(email="commissioner@northvale.example")
    draft = services.create_analysis(
        actor=commissioner,
        title="Confidential home care draft",
        organisation=statement.organisation,
        needs_assessment=demo_assessment(),
        service_types=[ServiceType.objects.get(slug="home_care")],
        year=2026,
        age_from=65,
        threshold_explanation="As before.",
    )
    assert client.get(f"/market/analyses/{draft.pk}/").status_code == 404
    assert "Confidential" not in client.get("/api/v1/market-analyses").content.decode()
    client.force_login(Person.objects.get(email="commissioner@westmarch.example"))
    assert client.get(f"/market/analyses/{draft.pk}/").status_code == 404
    client.force_login(commissioner)
    assert client.get(f"/market/analyses/{draft.pk}/").status_code == 200


def test_the_map_draws_without_tiles_by_default_and_over_a_tile_server_when_set(
    client, statement, settings
):
    from commissioning.market import charts

    points = [
        {"latitude": 54.52, "longitude": -1.55, "sector": "third", "location": "A"},
        {"latitude": 54.69, "longitude": -1.21, "sector": "private", "location": "B"},
    ]
    plain = charts.market_map(points, sector_labels={}, description="Map")
    assert [layer["mark"]["type"] for layer in plain["layer"]] == ["point"]
    tiled = charts.market_map(
        points, sector_labels={}, description="Map", tiles="https://tiles.example/{z}/{x}/{y}.png"
    )
    tiles = tiled["layer"][0]["data"]["values"]
    assert tiled["layer"][0]["mark"]["type"] == "image" and tiles
    zoom = int(tiles[0]["url"].split("/")[3])
    size = tiled["layer"][0]["mark"]["width"]
    projection = tiled["projection"]
    # The tiles lie where the projection puts the points: each point falls inside the tile
    # whose XYZ index the slippy-map formula gives it.
    import math

    for point in points:
        x = projection["scale"] * math.radians(point["longitude"]) + projection["translate"][0]
        y = projection["translate"][1] - projection["scale"] * math.log(
            math.tan(math.pi / 4 + math.radians(point["latitude"]) / 2)
        )
        n = 2**zoom
        column = int((point["longitude"] + 180) / 360 * n)
        lat = math.radians(point["latitude"])
        row = int((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * n)
        tile = next(t for t in tiles if t["url"].endswith(f"/{zoom}/{column}/{row}.png"))
        assert tile["x"] <= x <= tile["x"] + size and tile["y"] <= y <= tile["y"] + size
        assert 0 <= x <= charts.MAP_WIDTH and 0 <= y <= charts.MAP_HEIGHT


def test_demand_and_its_projection_come_from_the_pinned_assessment(statement):
    from commissioning.needs import selectors as needs_selectors

    # An analysis resting on the demo's assessment (the published statement is not: its
    # assessment is still a draft).
    statement = services.create_analysis(
        actor=Person.objects.get(email="commissioner@northvale.example"),
        title="Set against the assessment",
        organisation=statement.organisation,
        needs_assessment=demo_assessment(),
        service_types=list(statement.service_types.all()),
        year=statement.year,
        age_from=65,
        need_condition=statement.need_condition,
        threshold_explanation="As published.",
    )
    demand = selectors.analysis_results(statement).tables["demand"]
    years = [row["year"] for row in demand.rows]
    assert years == list(range(2014, 2028))  # the assessment's base year to its horizon
    cases = [row["cases"] for row in demand.rows]
    assert cases[-1] > cases[0] > 0  # the older population grows, and dementia with it
    codes = list(statement.areas.values_list("code", flat=True))
    by_area = needs_selectors.population_by_area(
        statement.population_dataset, area_codes=codes, year=2020, age_from=65
    )
    assert demand.rows[6]["people"] == round(sum(by_area.values()))


def test_the_deployers_boundaries_are_drawn_under_the_points(client, statement, settings, tmp_path):
    import json

    square = [[-1.7, 54.4], [-1.4, 54.4], [-1.4, 54.6], [-1.7, 54.6], [-1.7, 54.4]]
    outlines = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
            for code, name in (("E06000005", "Darlington"), ("W06000015", "Cardiff"))
        ],
    }
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps(outlines))
    settings.MAP_BOUNDARIES_GEOJSON = str(path)
    page = client.get(f"/market/analyses/{statement.pk}/").content.decode()
    start = page.index('id="map-chart-spec"')
    spec = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    layers = [layer["mark"]["type"] for layer in spec["layer"]]
    assert layers == ["geoshape", "point"]
    drawn = spec["layer"][0]["data"]["values"]["features"]
    assert [f["properties"]["name"] for f in drawn] == ["Darlington"]  # only the areas analysed


def test_a_service_serving_several_areas_shares_its_capacity_between_them(statement):
    rows = [
        row
        for row in selectors.analysis_results(statement).supply_rows
        if row.service_type == "carers_support"
    ]
    # The Carers' Centre supports 450 carers across the partnership's three areas.
    assert sorted((row.area_code, row.capacity) for row in rows) == [
        ("E06000001", 150.0),
        ("E06000005", 150.0),
        ("E06000047", 150.0),
    ]
