"""Every refused evidence file comes back to the provider as a message on the application
page (400 with an error summary), never a server error, and nothing is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.core.access import SYSTEM
from commissioning.market import services
from commissioning.market.models import EvidenceDocument
from tests.kit import bombs

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def application(provider, commissioning_body, person_with_role):
    commissioner = person_with_role(commissioning_body, "commissioner")
    scheme = services.create_scheme(
        actor=commissioner,
        owner=commissioning_body,
        name="Riverside Quality Mark",
        validity_months=24,
        reminder_days=30,
    )
    listed = services.register_provider(actor=SYSTEM, organisation=provider)
    provider_admin = person_with_role(provider, "organisation_admin")
    application = services.start_application(actor=provider_admin, scheme=scheme, provider=listed)
    application.provider_admin = provider_admin
    return application


REFUSALS = {
    "wrong type": ("policy.exe", b"MZ\x90\x00 a Windows program", "must be a PDF, DOCX"),
    "disguised": ("accounts.pdf", b"MZ\x90\x00 a Windows program", "not a PDF file"),
    "not really a zip": ("policy.docx", b"PK\x03\x04 not really a zip", "not a DOCX file"),
    "too large": ("big.pdf", PDF + b"%" * 2048, "evidence files can be up to"),
    "too many entries": ("accounts.xlsx", bombs.xlsx_crowded(6_000), "holds more than 5,000"),
    "zip bomb": ("policy.odt", bombs.odt_bomb(1024), "once unpacked"),
    "lying headers": ("accounts.xlsx", bombs.xlsx_lying(64), "not a XLSX file"),
    "empty": ("empty.pdf", b"", "The submitted file is empty"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_evidence_file_is_a_message_on_the_page(client, application, settings, case):
    name, content, message = REFUSALS[case]
    settings.EVIDENCE_MAX_BYTES = max(1024, len(content) + 1) if case != "too large" else 1024
    client.force_login(application.provider_admin)
    response = client.post(
        f"/market/applications/{application.pk}/",
        {
            "action": "evidence",
            "criterion": str(application.scheme.criteria.first().pk),
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not EvidenceDocument.objects.exists()


def test_an_accepted_file_is_kept(client, application):
    client.force_login(application.provider_admin)
    response = client.post(
        f"/market/applications/{application.pk}/",
        {
            "action": "evidence",
            "criterion": str(application.scheme.criteria.first().pk),
            "file": SimpleUploadedFile("accounts.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert EvidenceDocument.objects.get().original_name == "accounts.pdf"
