"""org-id identifiers and ONS area codes: the parsers behind every form, import and API."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core import ons, orgid
from commissioning.core.models import Area, Organisation

VALID = {
    "GB-LAE-BIR": ("GB-LAE", "BIR"),
    "gb-pla-crf": ("GB-PLA", "CRF"),
    "GB-NHS-7A4": ("GB-NHS", "7A4"),
    " GB-CHC-1087614 ": ("GB-CHC", "1087614"),
    "GB-CHC-220949": ("GB-CHC", "220949"),
    "GB-COH-09876543": ("GB-COH", "09876543"),
    "GB-COH-SC123456": ("GB-COH", "SC123456"),
    "GB-MPR-30474R": ("GB-MPR", "30474R"),
    "GB-MPR-IP27581R": ("GB-MPR", "IP27581R"),
    "GB-GOR-PB1026": ("GB-GOR", "PB1026"),
}


@pytest.mark.parametrize(("text", "expected"), VALID.items())
def test_real_identifiers_parse_and_normalise(text, expected):
    parsed = orgid.parse(text)
    assert (parsed.scheme, parsed.identifier) == expected
    assert str(parsed) == "-".join(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("1087614", "scheme"),
        ("GB-XYZ-123", "scheme"),
        ("GB-CHC-12345", "format"),  # too short for a charity number
        ("GB-CHC-10876140", "format"),
        ("GB-COH-1234567", "format"),
        ("GB-LAE-B1R", "format"),
        ("GB-CHC-", "format"),
    ],
)
def test_malformed_identifiers_are_refused_with_a_reason(text, code):
    with pytest.raises(orgid.InvalidIdentifier) as caught:
        orgid.parse(text)
    assert caught.value.code == code


@given(st.text(max_size=40))
def test_any_text_either_parses_or_is_refused_cleanly(text):
    try:
        parsed = orgid.parse(text)
    except orgid.InvalidIdentifier as exc:
        assert exc.code in {"empty", "scheme", "format"}
    else:
        assert orgid.parse(str(parsed)) == parsed  # normal form is a fixed point


@given(st.integers(min_value=100000, max_value=9999999))
def test_every_charity_number_is_a_charity_identifier_and_never_a_council(number):
    assert orgid.parse(f"GB-CHC-{number}").identifier == str(number)
    for prefix in ("GB-LAE", "GB-PLA", "GB-GOR"):
        with pytest.raises(orgid.InvalidIdentifier):
            orgid.parse(f"{prefix}-{number}")


@pytest.mark.django_db
def test_identifier_in_the_wrong_scheme_for_the_legal_form_is_explained():
    council = Organisation(
        name="Newtown Council",
        identifier="GB-CHC-1087614",
        kind="commissioning_body",
        sector="public",
        legal_form="statutory",
    )
    with pytest.raises(ValidationError) as caught:
        council.full_clean()
    message = caught.value.message_dict["identifier"][0]
    assert "GB-LAE, GB-PLA, GB-NHS, GB-GOR" in message and "GB-CHC" in message


@pytest.mark.django_db
def test_unincorporated_group_needs_no_identifier_but_a_charity_does():
    Organisation(
        name="Tuesday Lunch Club", kind="provider", sector="third", legal_form="unincorporated"
    ).full_clean()
    with pytest.raises(ValidationError) as caught:
        Organisation(
            name="A Charity", kind="provider", sector="third", legal_form="charity"
        ).full_clean()
    assert "identifier" in caught.value.message_dict


@pytest.mark.django_db
def test_commissioning_body_must_be_public_sector():
    with pytest.raises(ValidationError) as caught:
        Organisation(
            name="Care Ltd",
            identifier="GB-COH-01234567",
            kind="commissioning_body",
            sector="private",
            legal_form="company",
        ).full_clean()
    assert "sector" in caught.value.message_dict


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("E06000047", "local_authority"),
        ("E07000026", "local_authority"),
        ("E08000021", "local_authority"),
        ("E09000001", "local_authority"),
        ("W06000015", "local_authority"),
        ("S12000033", "local_authority"),
        ("N09000001", "local_authority"),
        ("E12000001", "region"),
        ("W92000004", "country"),
    ],
)
def test_ons_codes_are_recognised_by_kind(code, level):
    assert ons.entity_type(code).level == level


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("E0800005", "format"),
        ("E060000471", "format"),
        ("X06000047", "format"),
        ("E02000001", "entity"),
        ("", "format"),
    ],
)
def test_malformed_or_unknown_ons_codes_are_refused(code, reason):
    with pytest.raises(ons.InvalidAreaCode) as caught:
        ons.entity_type(code)
    assert caught.value.code == reason


@given(st.text(max_size=12))
def test_any_text_is_an_area_code_or_refused_cleanly(text):
    try:
        ons.entity_type(text)
    except ons.InvalidAreaCode as exc:
        assert exc.code in {"format", "entity"}


@pytest.mark.django_db
def test_area_validation_names_the_problem():
    with pytest.raises(ValidationError) as caught:
        Area(code="E0800005", name="Typo", level="local_authority").full_clean()
    assert "E0800005" in caught.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as caught:
        Area(code="E12000001", name="North East", level="local_authority").full_clean()
    assert "region" in caught.value.message_dict["level"][0].lower()


@pytest.mark.django_db
def test_reference_areas_cover_the_uk_with_parents():
    authorities = Area.objects.filter(level="local_authority")
    assert authorities.count() == 391
    for area in authorities.select_related("parent"):
        area.full_clean()
        expected_parent_level = "region" if area.code.startswith("E") else "country"
        assert area.parent.level == expected_parent_level, area.code
    assert Area.objects.get(code="E06000047").parent.name == "North East"
    assert Area.objects.get(code="W06000015").name_cy == "Caerdydd"
