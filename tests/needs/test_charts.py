"""Charts of a needs assessment: the Vega-Lite specs carry the table's numbers, the summaries
compute the right ones, and the server's SVG has a mark for each of them."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from commissioning.kit.tables import Table
from commissioning.needs import charts

SVG = "{http://www.w3.org/2000/svg}"
BANDS = ["0-4", "5-9", "10-14", "85-89", "90+"]


@pytest.fixture
def profile() -> Table:
    table = Table(
        "population_profile",
        "Population by age and sex",
        [("age", "Age"), ("male", "Male"), ("female", "Female"), ("total", "Total")],
        caption="2014, all areas of the assessment together",
    )
    for i, band in enumerate(BANDS):
        male, female = 1000 + 100 * i, 1100 + 50 * i
        if band == "10-14":
            male, female = 5000, 4000  # the largest band
        table.rows.append({"age": band, "male": male, "female": female, "total": male + female})
    return table


@pytest.fixture
def growth() -> Table:
    table = Table(
        "age_group_growth",
        "Growth of age groups",
        [("year", "Year"), ("group_0", "Aged 0 to 17"), ("group_1", "Aged 85 and over")],
    )
    table.rows = [
        {"year": 2014, "group_0": 10_000, "group_1": 9_876},
        {"year": 2015, "group_0": 10_100, "group_1": 11_000},
        {"year": 2016, "group_0": 9_900, "group_1": 15_432},
    ]
    return table


@pytest.fixture
def cases() -> Table:
    table = Table(
        "projected_cases",
        "Projected cases",
        [
            ("year", "Year"),
            ("condition", "Condition"),
            ("cases", "Expected cases"),
            ("low", "Low estimate"),
            ("high", "High estimate"),
        ],
    )
    for condition, start in (("Dementia", 6_213), ("Depression", 3_000)):
        for i, year in enumerate(range(2014, 2028)):
            cases = start + 200 * i if condition == "Dementia" else start - 10 * i
            table.rows.append(
                {
                    "year": year,
                    "condition": condition,
                    "cases": cases,
                    "low": cases - 1000,
                    "high": cases + 2000,
                }
            )
    return table


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the SVG is vl-convert's, made in this test


def marks(svg: str) -> dict[str, int]:
    """How many marks of each kind (rect, line, symbol, area, text) the SVG draws."""
    counts: dict[str, int] = {}
    for group in parse(svg).iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "role-mark" in classes:
            kind = next(c for c in classes if c.startswith("mark-")).removeprefix("mark-")
            counts[kind] = counts.get(kind, 0) + len(list(group))
    return counts


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{SVG}text")]


def assert_common(spec: charts.Spec, table: Table, description: str) -> None:
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")
    assert spec["title"]["text"] == table.title
    assert spec["description"] == description
    assert spec["width"] == "container"
    assert spec["config"]["font"] == "system-ui, sans-serif"


# --- the population pyramid -----------------------------------------------------------------


def test_pyramid_puts_males_left_and_females_right(profile):
    spec = charts.pyramid(profile, description="A pyramid", people="People")
    assert_common(spec, profile, "A pyramid")
    assert spec["title"]["subtitle"] == profile.caption
    bars = spec["layer"][0]
    values = bars["data"]["values"]
    assert len(values) == 2 * len(BANDS)
    for row in profile.rows:
        male, female = (v for v in values if v["age"] == row["age"])
        assert (male["sex"], male["people"], male["signed"]) == ("Male", row["male"], -row["male"])
        assert (female["sex"], female["people"], female["signed"]) == (
            "Female",
            row["female"],
            row["female"],
        )
    assert bars["encoding"]["y"]["sort"] == list(reversed(BANDS))  # oldest at the top
    assert bars["encoding"]["x"]["scale"]["domain"] == [-5000, 5000]  # symmetric
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Male", "Female"]
    # The sexes are named in the chart, on their own sides, not told apart by colour alone.
    sides = {v["sex"]: v["signed"] for v in spec["layer"][1]["data"]["values"]}
    assert sides["Male"] < 0 < sides["Female"]


def test_pyramid_summary(profile):
    facts = charts.pyramid_summary(profile)
    assert facts is not None
    assert facts.people == sum(row["total"] for row in profile.rows)
    assert facts.female == sum(row["female"] for row in profile.rows)
    assert facts.female_percent == round(100 * facts.female / facts.people)
    assert (facts.largest_band, facts.largest_band_people) == ("10-14", 9000)
    assert charts.pyramid_summary(Table("population_profile", "", profile.columns)) is None


def test_pyramid_as_svg_has_a_bar_for_each_band_and_sex(profile):
    svg = charts.to_svg(charts.pyramid(profile, description="A pyramid"))
    assert svg.startswith("<svg")
    assert marks(svg) == {"rect": 10, "text": 2}
    labels = texts(svg)
    assert set(BANDS) <= set(labels)
    assert {"Male", "Female", "Population by age and sex"} <= set(labels)
    # The left side counts people too, not negative people.
    assert labels.count("4,000") == 2 and not any(label.startswith("-") for label in labels)


# --- growth of age groups -------------------------------------------------------------------


def test_growth_is_the_change_since_the_first_year(growth):
    spec = charts.growth(growth, description="Lines", change="Change since 2014")
    assert_common(spec, growth, "Lines")
    values = spec["data"]["values"]
    assert [(v["year"], v["group"], v["people"]) for v in values] == [
        (row["year"], label, row[key])
        for row in growth.rows
        for key, label in (("group_0", "Aged 0 to 17"), ("group_1", "Aged 85 and over"))
    ]
    oldest = [v["change"] for v in values if v["group"] == "Aged 85 and over"]
    assert oldest == pytest.approx([0, 11_000 / 9_876 - 1, 15_432 / 9_876 - 1])
    assert spec["encoding"]["y"]["title"] == "Change since 2014"
    # Lines that cross differ in colour, dash and point shape.
    for channel in ("color", "strokeDash", "shape"):
        scale = spec["encoding"][channel]["scale"]
        assert scale["domain"] == ["Aged 0 to 17", "Aged 85 and over"]
        assert len({str(value) for value in scale["range"]}) == 2


def test_growth_summary_names_the_fastest_growing_group(growth):
    change = charts.growth_summary(growth)
    assert change == charts.Change("Aged 85 and over", 2014, 9_876, 2016, 15_432)
    assert change is not None and change.percent == 56
    growth.rows = growth.rows[:1]
    assert charts.growth_summary(growth) is None  # one year: nothing grows


def test_growth_as_svg_has_a_line_per_group_and_a_point_per_year(growth):
    svg = charts.to_svg(charts.growth(growth))
    assert marks(svg) == {"line": 2, "symbol": 6}
    assert {"2014", "2015", "2016", "Aged 0 to 17", "Aged 85 and over", "+50%"} <= set(texts(svg))


# --- projected cases ------------------------------------------------------------------------


def test_projected_cases_draw_a_line_in_a_band(cases):
    spec = charts.projected_cases(cases, description="Cases")
    assert_common(spec, cases, "Cases")
    assert spec["data"]["values"] == cases.rows
    band, line = spec["layer"]
    assert band["mark"]["type"] == "area"
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == ("low", "high")
    assert line["encoding"]["y"]["field"] == "cases"
    assert line["encoding"]["color"]["scale"]["domain"] == ["Dementia", "Depression"]
    assert line["encoding"]["color"]["legend"] is not None  # two conditions: say which is which


def test_projected_cases_summary_per_condition(cases):
    dementia, depression = charts.projected_cases_summary(cases)
    assert dementia == charts.Change("Dementia", 2014, 6_213, 2027, 8_813, low=7_813, high=10_813)
    assert depression.first == 3_000 and depression.last == 2_870 and depression.percent == -4
    assert charts.projected_cases_summary(Table("projected_cases", "", cases.columns)) == []


def test_projected_cases_as_svg(cases):
    svg = charts.to_svg(charts.projected_cases(cases))
    assert marks(svg) == {"area": 2, "line": 2, "symbol": 28}
    assert {"2014", "2027", "Expected cases", "Dementia", "Depression"} <= set(texts(svg))


# --- SVG for the page -----------------------------------------------------------------------


def test_inline_svg_is_one_named_image_that_scales(profile):
    spec = charts.pyramid(profile)
    svg = charts.to_svg(spec, label='Men "left" & women right', id_prefix="pyramid-")
    opening = re.match(r"<svg[^>]*>", svg)
    assert opening is not None
    tag = opening.group(0)
    assert 'role="img"' in tag
    assert 'aria-label="Men &quot;left&quot; &amp; women right"' in tag
    assert 'width="100%"' in tag and "height=" not in tag and "viewBox=" in tag
    assert "style=" not in svg  # the Content-Security-Policy allows no inline styles
    assert spec["width"] == "container"  # rendering leaves the spec as the page needs it


def test_ids_are_prefixed_so_charts_on_one_page_keep_their_own_clip_paths(cases):
    spec = charts.projected_cases(cases)
    spec["layer"][0]["mark"]["clip"] = True  # clipped marks refer to a <clipPath> by id
    spec["layer"][0]["encoding"]["y"]["scale"] = {"domain": [0, 5000]}
    svg = charts.to_svg(spec, id_prefix="cases-")
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids and all(i.startswith("cases-") for i in ids)
    assert set(re.findall(r'="url\(#([^)]+)\)"', svg)) <= set(ids)


def test_data_from_people_is_escaped_in_the_svg(cases):
    for row in cases.rows:
        row["condition"] = '<script>alert("x")</script>'
    svg = charts.to_svg(charts.projected_cases(cases), label="<b>")
    assert "<script>" not in svg and "<b>" not in svg
    parse(svg)  # still well-formed


# --- on the page ----------------------------------------------------------------------------


def test_the_assessment_page_shows_three_charts_beside_their_tables(client, db):
    from commissioning.demo.loader import DEMO_PASSWORD
    from commissioning.needs.models import NeedsAssessment

    call_command("load_demo", verbosity=0)
    assessment = NeedsAssessment.objects.get(title__startswith="Older people's needs")
    client.post(
        "/sign-in/", {"username": "commissioner@northvale.example", "password": DEMO_PASSWORD}
    )
    body = client.get(f"/needs-assessments/{assessment.pk}/").content.decode()

    keys = ["population_profile", "age_group_growth", "projected_cases"]
    for key in keys:
        chart, table = (
            body.index(f'id="{key}-chart"'),
            body.index(f'<table class="govuk-table" id="{key}"'),
        )
        assert chart < table  # the chart, then its table
        assert f'<script id="{key}-chart-spec" type="application/json">' in body
    assert body.count("<figure") == 3 and body.count('role="img"') == 3
    assert "In 2014, " in body and "people lived in these areas" in body
    assert "“Aged 85 and over” grows fastest" in body
    assert re.search(r"Expected cases of Dementia rise from [\d,]+ in 2014 to [\d,]+ in 2027", body)
    assert "web/charts.mjs" in body
