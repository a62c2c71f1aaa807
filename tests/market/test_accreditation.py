"""The register of approved providers: schemes, applications with evidence, assessors'
findings, accreditation with expiry, reminders, revocation and passporting."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from commissioning.audit.models import AuditEvent
from commissioning.core.access import SYSTEM
from commissioning.demo import builders
from commissioning.market import selectors, services
from commissioning.market.models import Accreditation, EvidenceDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _xlsx() -> bytes:
    import io

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Income", 120000])
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def listed(provider):
    return services.register_provider(actor=SYSTEM, organisation=provider)


@pytest.fixture
def provider_admin(provider, person_with_role):
    return person_with_role(provider, "organisation_admin")


@pytest.fixture
def scheme(commissioning_body, commissioner):
    return services.create_scheme(
        actor=commissioner,
        owner=commissioning_body,
        name="Riverside Quality Mark",
        validity_months=24,
        reminder_days=30,
    )


def _apply_with_evidence(scheme, listed, provider_admin):
    return builders.application_with_evidence(
        actor=provider_admin, scheme=scheme, provider=listed, evidence=PDF
    )


def test_a_scheme_starts_with_the_usual_fitness_criteria(scheme):
    topics = list(scheme.criteria.values_list("topic", flat=True))
    assert topics == [
        "governance",
        "financial_viability",
        "safeguarding",
        "insurance",
        "health_and_safety",
        "equality",
        "data_protection",
        "quality_assurance",
    ]


def test_apply_assess_accredit_and_appear_on_the_public_register(
    client, scheme, listed, provider_admin, commissioner, django_capture_on_commit_callbacks
):
    application = _apply_with_evidence(scheme, listed, provider_admin)
    assert application.status == "submitted"
    with pytest.raises(PermissionDenied):  # the provider cannot assess itself
        services.record_finding(
            actor=provider_admin,
            application=application,
            criterion=scheme.criteria.first(),
            is_met=True,
        )
    with pytest.raises(ValidationError, match="Not yet met"):
        services.decide_application(actor=commissioner, application=application, approve=True)
    for criterion in scheme.criteria.all():
        services.record_finding(
            actor=commissioner, application=application, criterion=criterion, is_met=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(actor=commissioner, application=application, approve=True)
    accreditation = Accreditation.objects.get()
    assert accreditation.issued_on == date.today()
    assert (accreditation.expires_on - accreditation.issued_on).days in range(730, 732)
    assert "accredited" in mail.outbox[-1].subject.lower() or "accredited" in mail.outbox[-1].body
    register = client.get("/market/register/").content.decode()
    assert listed.name.replace("'", "&#x27;") in register
    assert client.get("/api/v1/approved-providers").json()["items"][0]["provider"] == listed.name


def test_a_finding_of_not_met_needs_a_note_and_rejection_needs_reasons(
    scheme, listed, provider_admin, commissioner
):
    application = _apply_with_evidence(scheme, listed, provider_admin)
    with pytest.raises(ValidationError):
        services.record_finding(
            actor=commissioner,
            application=application,
            criterion=scheme.criteria.first(),
            is_met=False,
        )
    with pytest.raises(ValidationError):
        services.decide_application(actor=commissioner, application=application, approve=False)
    services.decide_application(
        actor=commissioner,
        application=application,
        approve=False,
        notes="The insurance certificate has expired.",
    )
    assert not Accreditation.objects.exists()


def test_submitting_needs_evidence_for_every_criterion(scheme, listed, provider_admin):
    application = services.start_application(actor=provider_admin, scheme=scheme, provider=listed)
    with pytest.raises(ValidationError, match="Still missing"):
        services.submit_application(actor=provider_admin, application=application)


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("accounts.pdf", b"MZ\x90\x00 this is a Windows program", "not a PDF file"),
        ("accounts.pdf", PNG, "not a PDF file"),
        ("policy.exe", b"MZ\x90\x00", "must be a PDF, DOCX"),
        ("policy.docx", b"PK\x03\x04 not really a zip", "not a DOCX file"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_evidence_must_really_be_what_it_says(
    scheme, listed, provider_admin, name, content, refusal
):
    application = services.start_application(actor=provider_admin, scheme=scheme, provider=listed)
    with pytest.raises(ValidationError, match=refusal):
        services.add_evidence(
            actor=provider_admin,
            application=application,
            criterion=scheme.criteria.first(),
            upload=SimpleUploadedFile(name, content),
        )
    assert not EvidenceDocument.objects.exists()


def test_evidence_names_are_made_safe_and_oversized_files_refused(
    scheme, listed, provider_admin, settings
):
    application = services.start_application(actor=provider_admin, scheme=scheme, provider=listed)
    document = services.add_evidence(
        actor=provider_admin,
        application=application,
        criterion=scheme.criteria.first(),
        upload=SimpleUploadedFile("../../etc/Accounts 2025<script>.xlsx", _xlsx()),
    )
    assert document.original_name == "Accounts_2025script.xlsx"
    assert "/" not in document.file.name.removeprefix("evidence/")[8:]
    assert document.content_type.endswith("spreadsheetml.sheet")
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="can be up to"):
        services.add_evidence(
            actor=provider_admin,
            application=application,
            criterion=scheme.criteria.first(),
            upload=SimpleUploadedFile("big.pdf", PDF),
        )


def test_evidence_is_served_only_to_the_provider_and_the_assessors(
    client, scheme, listed, provider_admin, commissioner, person_with_role, commissioning_body
):
    application = _apply_with_evidence(scheme, listed, provider_admin)
    document = application.evidence.first()
    path = f"/market/evidence/{document.pk}/"
    client.force_login(provider_admin)
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(commissioner)
    assert client.get(path).status_code == 200
    client.force_login(person_with_role(commissioning_body, "scrutiny"))
    assert client.get(path).status_code == 404


def test_reminders_go_once_before_expiry_and_revocation_is_published(
    client, scheme, listed, provider_admin, commissioner, django_capture_on_commit_callbacks
):
    application = _apply_with_evidence(scheme, listed, provider_admin)
    for criterion in scheme.criteria.all():
        services.record_finding(
            actor=commissioner, application=application, criterion=criterion, is_met=True
        )
    services.decide_application(actor=commissioner, application=application, approve=True)
    accreditation = Accreditation.objects.get()
    before = accreditation.expires_on - timedelta(days=31)
    assert services.send_expiry_reminders(on=before) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_expiry_reminders(on=before + timedelta(days=2)) == 1
    assert "expires" in mail.outbox[-1].subject
    assert services.send_expiry_reminders(on=before + timedelta(days=3)) == 0
    with pytest.raises(ValidationError):
        services.revoke_accreditation(actor=commissioner, accreditation=accreditation, reason=" ")
    services.revoke_accreditation(
        actor=commissioner,
        accreditation=accreditation,
        reason="Safeguarding lead left and was not replaced.",
    )
    register = client.get("/market/register/").content.decode()
    assert "Safeguarding lead left" in register
    assert not selectors.register_of_approved_providers().exists()
    assert AuditEvent.objects.filter(verb="accreditation.revoked").exists()


def test_passporting_counts_a_valid_accreditation_only_where_the_scheme_is_recognised(
    scheme, listed, provider_admin, commissioner, commissioning_body
):
    application = _apply_with_evidence(scheme, listed, provider_admin)
    for criterion in scheme.criteria.all():
        services.record_finding(
            actor=commissioner, application=application, criterion=criterion, is_met=True
        )
    services.decide_application(actor=commissioner, application=application, approve=True)
    ask = {"commissioning_body_id": commissioning_body.pk, "provider_id": listed.pk}
    assert selectors.passported_topics(**ask) == {}
    services.recognise_scheme(
        actor=commissioner, commissioning_body=commissioning_body, scheme=scheme
    )
    topics = selectors.passported_topics(**ask)
    assert set(topics) == set(scheme.criteria.values_list("topic", flat=True))
    accreditation = Accreditation.objects.get()
    assert selectors.passported_topics(**ask, on=accreditation.expires_on) == {}
    recognition = selectors.recognitions_by(commissioning_body.pk).get()
    services.end_recognition(actor=commissioner, recognition=recognition)
    assert selectors.passported_topics(**ask, on=date.today() + timedelta(days=1)) == {}


def test_each_action_on_an_application_needs_its_own_permission(
    client, scheme, listed, provider_admin, commissioner
):
    application = _apply_with_evidence(scheme, listed, provider_admin)
    path = f"/market/applications/{application.pk}/"
    client.force_login(provider_admin)
    # Submitted: the provider can no longer change it, and never decides it.
    assert client.post(path, {"action": "submit"}).status_code == 403
    assert client.post(path, {"action": "decide", "decision": "approve"}).status_code == 403
    client.force_login(commissioner)
    assert client.post(path, {"action": "remove", "document": "1"}).status_code == 403
    assert client.post(path, {"action": "anything"}).status_code == 403
    assert client.post(path, {"action": "finding", "criterion": "x"}).status_code == 403
    response = client.post(
        f"/market/accreditation/schemes/{scheme.pk}/recognise/", {"body": "not a number"}
    )
    assert response.status_code == 404
