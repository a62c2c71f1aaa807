"""A refused file is explained in the reader's language, whoever imported it and when."""

import re
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from commissioning.needs import population_formats, prevalence_formats
from tests.authz.decisions import NOMIS_SAMPLE
from tests.needs.test_uploads import upload

pytestmark = pytest.mark.django_db


def _placeholders(template):
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


TEMPLATES = [
    *population_formats._MESSAGES.values(),
    *prevalence_formats.MESSAGES.values(),
    *prevalence_formats.DETAILS.values(),
]


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t != "{what}"])
def test_every_refusal_is_in_welsh_with_the_same_placeholders(template):
    with translation.override("cy"):
        welsh = translation.gettext(template)
    assert welsh != template
    assert _placeholders(welsh) == _placeholders(template)


@pytest.fixture
def commissioner_client(client, commissioning_body, person_with_role):
    client.force_login(person_with_role(commissioning_body, "commissioner"))
    return client


def test_a_refusal_recorded_in_the_background_is_read_in_each_readers_language(
    commissioner_client, django_capture_on_commit_callbacks
):
    bad = NOMIS_SAMPLE.replace(b"E06000005,40,2020,140,1", b"E0800005,40,2020,140,1")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(commissioner_client, "typo.csv", bad)
    english = commissioner_client.get(response["Location"]).content.decode()
    assert "Line 42: GEOGRAPHY_CODE &#x27;E0800005&#x27; is not an ONS area code" in english

    commissioner_client.get("/language/cy/")
    welsh = commissioner_client.get(response["Location"]).content.decode()
    assert "Llinell 42: Nid yw GEOGRAPHY_CODE &#x27;E0800005&#x27; yn god ardal ONS" in welsh
    assert "Line 42" not in welsh


def test_the_layout_found_is_named_in_welsh(
    commissioner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(commissioner_client, "good.csv", NOMIS_SAMPLE)
    commissioner_client.get("/language/cy/")
    page = commissioner_client.get(response["Location"]).content.decode()
    assert "Fformat hir Nomis (wedi&#x27;i wahanu â chomas)" in page


def test_a_refused_rate_set_is_explained_in_welsh(commissioner_client):
    commissioner_client.get("/language/cy/")
    response = commissioner_client.post(
        "/population-data/prevalence/upload/",
        {
            "file": SimpleUploadedFile(
                "rates.csv", b"age_band,sex,prevalence\n65-74,male,0.02\n70-79,male,0.05\n"
            ),
            "condition": "Falls",
            "slug": "falls",
            "source": "Survey, 2020",
        },
    )
    body = re.sub(r"\s+", " ", response.content.decode())
    assert response.status_code == 400
    assert "Llinell 3: Mae band 70-79 (gwryw) yn gorgyffwrdd â band 65-74 (gwryw)" in body
