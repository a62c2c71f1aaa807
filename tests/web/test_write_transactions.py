"""Uploaded files are read before a request opens its write transaction: on SQLite that
transaction holds the one write lock, and a slow or hostile file read inside it stopped every
other writer (the background worker among them)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from commissioning.core.access import SYSTEM
from commissioning.market import evidence_files
from commissioning.market import services as market_services
from commissioning.market.models import EvidenceDocument
from commissioning.needs import prevalence_formats
from commissioning.needs.models import PrevalenceSet

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RATES = (
    b"age_band,sex,prevalence,lower_95,upper_95\n65-79,male,0.1,0.08,0.12\n"
    b"65-79,female,0.12,0.1,0.14\n80+,male,0.2,0.15,0.25\n80+,female,0.25,0.2,0.3\n"
)


def watch(monkeypatch, module, name):
    """Record, each time `module.name` reads a file, whether a transaction is open."""
    real = getattr(module, name)
    seen = []

    def watched(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return seen


@pytest.mark.django_db(transaction=True)
def test_prevalence_rates_are_read_before_the_transaction(
    transactional_db, client, commissioning_body, person_with_role, monkeypatch
):
    seen = watch(monkeypatch, prevalence_formats, "read_rate_bands")
    client.force_login(person_with_role(commissioning_body, "commissioner"))
    response = client.post(
        "/population-data/prevalence/upload/",
        {
            "file": SimpleUploadedFile("rates.csv", RATES),
            "condition": "Falls",
            "slug": "falls",
            "source": "Survey, 2020",
        },
    )
    assert response.status_code == 302
    assert PrevalenceSet.objects.get(slug="falls").rates.count() == 4
    assert seen == [False]


@pytest.mark.django_db(transaction=True)
def test_evidence_is_checked_before_the_transaction(
    transactional_db, client, provider, commissioning_body, person_with_role, monkeypatch
):
    commissioner = person_with_role(commissioning_body, "commissioner")
    scheme = market_services.create_scheme(
        actor=commissioner,
        owner=commissioning_body,
        name="Riverside Quality Mark",
        validity_months=24,
        reminder_days=30,
    )
    listed = market_services.register_provider(actor=SYSTEM, organisation=provider)
    provider_admin = person_with_role(provider, "organisation_admin")
    application = market_services.start_application(
        actor=provider_admin, scheme=scheme, provider=listed
    )
    seen = watch(monkeypatch, evidence_files, "identify")
    client.force_login(provider_admin)
    response = client.post(
        f"/market/applications/{application.pk}/",
        {
            "action": "evidence",
            "criterion": str(scheme.criteria.first().pk),
            "file": SimpleUploadedFile("policy.pdf", PDF),
        },
    )
    assert response.status_code == 302
    document = EvidenceDocument.objects.get(application=application)
    assert document.original_name == "policy.pdf"
    assert document.file.read() == PDF
    assert seen == [False]
