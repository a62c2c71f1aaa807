"""The public can read what it is consulted on: a consultation carries its consultation draft,
the plan frozen as it stood when the consultation was published, in English and Welsh, and the
documents its commissioners attach (PDF, Word, OpenDocument, an Easy Read version), each
checked from its contents, limited in size, and on the plan's audit trail."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from pypdf import PdfReader

from commissioning.audit.models import AuditEvent
from commissioning.core.models import Role
from commissioning.demo import builders
from commissioning.engagement import services
from commissioning.engagement.models import ConsultationDocument
from commissioning.plans import services as plans_services
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

FIRST_WORDS = "Older people told us they want to stay in their own homes."
LATER_WORDS = "A sentence written after the consultation was published."


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def a_pdf(text: str = "Easy Read") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=f"<html lang='en'><body><p>{text}</p></body></html>").write_pdf())


def a_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> set[str]:
    root = "consultations"
    if not default_storage.exists(root):
        return set()
    found = set()
    for year in default_storage.listdir(root)[0]:
        for month in default_storage.listdir(f"{root}/{year}")[0]:
            found |= set(default_storage.listdir(f"{root}/{year}/{month}")[1])
    return found


@pytest.fixture
def written_plan(commissioner, plan):
    plans_services.save_section(
        actor=commissioner, plan=plan, kind="introduction", body=FIRST_WORDS
    )
    return plan


@pytest.fixture
def consultation(commissioner, written_plan):
    return builders.consultation(actor=commissioner, plan=written_plan)


def download(client, document) -> bytes:
    response = client.get(
        reverse("engagement:document_download", args=[document.consultation_id, document.pk])
    )
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


# --- services ---------------------------------------------------------------------------------


def test_publishing_freezes_the_plan_as_its_consultation_draft_in_english_and_welsh(
    consultation,
):
    drafts = {d.language: d for d in consultation.documents.filter(kind="consultation_draft")}
    assert set(drafts) == {"en", "cy"}
    assert FIRST_WORDS in drafts["en"].frozen_html
    assert drafts["en"].title.startswith("Consultation draft of ")
    assert 'lang="cy"' in drafts["cy"].frozen_html
    assert AuditEvent.objects.filter(verb="consultation.draft_frozen").exists()


def test_later_changes_to_the_plan_do_not_change_the_consultation_draft(
    client, commissioner, consultation, written_plan
):
    plans_services.save_section(
        actor=commissioner, plan=written_plan, kind="introduction", body=LATER_WORDS
    )
    draft = consultation.documents.get(kind="consultation_draft", language="en")
    text = pdf_text(download(client, draft))
    assert "Older people told us" in text
    assert "written after the consultation" not in text
    # The PDF is kept once made: the page gives its size.
    draft.refresh_from_db()
    assert draft.size and draft.file


def test_an_unpublished_consultation_has_no_draft_yet(commissioner, written_plan):
    draft = builders.consultation(actor=commissioner, plan=written_plan, publish=False)
    assert not draft.documents.exists()


def test_a_commissioner_attaches_an_easy_read_pdf_on_the_audit_trail(commissioner, consultation):
    document = services.attach_document(
        actor=commissioner,
        consultation=consultation,
        upload=upload("easy-read.pdf", a_pdf()),
        title="Easy Read version",
        title_cy="Fersiwn Hawdd ei Ddarllen",
        language="en",
        easy_read=True,
    )
    assert document.content_type == "application/pdf"
    assert document.easy_read and document.kind == "attachment"
    assert default_storage.exists(document.file.name)
    assert document.title_in("cy") == "Fersiwn Hawdd ei Ddarllen"
    event = AuditEvent.objects.get(verb="consultation.document_attached")
    assert event.after["file"] == "easy-read.pdf"


def test_a_word_document_is_accepted(commissioner, consultation):
    document = services.attach_document(
        actor=commissioner,
        consultation=consultation,
        upload=upload("summary.docx", a_docx(), "application/octet-stream"),
        title="Summary",
    )
    assert document.format_label == "DOCX"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"MZ\x90\x00 a program, not a PDF", "its contents are not a PDF document"),
        ("plan.docx", b"%PDF-1.7 a PDF renamed", "its contents are not a DOCX"),
        ("plan.exe", b"MZ\x90\x00", "must be a PDF, DOCX or ODT document"),
        ("plan.html", b"<script>alert(1)</script>", "must be a PDF, DOCX or ODT document"),
        ("empty.pdf", b"", "The file is empty"),
    ],
    ids=["disguised", "pdf-called-docx", "program", "web-page", "empty"],
)
def test_a_document_that_is_not_what_it_says_is_refused_and_nothing_is_kept(
    commissioner, consultation, name, content, message
):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        services.attach_document(
            actor=commissioner,
            consultation=consultation,
            upload=upload(name, content),
            title="Easy Read version",
        )
    assert message in " ".join(refused.value.message_dict["file"])
    assert stored_files() == before
    assert not consultation.documents.filter(kind="attachment").exists()


def test_an_oversized_document_is_refused_saying_the_limit(commissioner, consultation, settings):
    settings.CONSULTATION_DOCUMENT_MAX_BYTES = 2 * 1024**2
    content = b"%PDF-1.7\n" + b"0" * (3 * 1024**2)
    with pytest.raises(ValidationError) as refused:
        services.attach_document(
            actor=commissioner,
            consultation=consultation,
            upload=upload("big.pdf", content),
            title="Big",
        )
    assert "can be up to 2 MB" in refused.value.message_dict["file"][0]
    assert stored_files() == set()


def test_only_the_commissioners_attach_and_remove_and_nobody_removes_the_draft(
    commissioner, councillor, consultation
):
    with pytest.raises(PermissionDenied):
        services.attach_document(
            actor=councillor,
            consultation=consultation,
            upload=upload("easy-read.pdf", a_pdf()),
            title="Easy Read",
        )
    draft = consultation.documents.filter(kind="consultation_draft").first()
    with pytest.raises(PermissionDenied):
        services.remove_document(actor=commissioner, document=draft)


def test_removing_a_document_is_audited_and_its_file_goes(
    commissioner, consultation, django_capture_on_commit_callbacks
):
    document = services.attach_document(
        actor=commissioner,
        consultation=consultation,
        upload=upload("easy-read.pdf", a_pdf()),
        title="Easy Read version",
    )
    stored = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_document(actor=commissioner, document=document)
    assert not ConsultationDocument.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(stored)
    assert AuditEvent.objects.filter(verb="consultation.document_removed").exists()


# --- pages --------------------------------------------------------------------------------------


def test_the_public_see_the_documents_on_the_consultation_page_and_download_them(
    client, commissioner, consultation
):
    services.attach_document(
        actor=commissioner,
        consultation=consultation,
        upload=upload("easy-read.pdf", a_pdf()),
        title="Easy Read version",
        title_cy="Fersiwn Hawdd ei Ddarllen",
        easy_read=True,
    )
    page = client.get(reverse("engagement:consultation_detail", args=[consultation.pk]))
    html = page.content.decode()
    assert "What we are consulting on" in html
    assert "Consultation draft of " in html
    assert "Easy Read version" in html and "PDF" in html
    assert "Attach a document" not in html
    draft = consultation.documents.get(kind="consultation_draft", language="en")
    response = client.get(reverse("engagement:document_download", args=[consultation.pk, draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_welsh_page_offers_the_welsh_draft_and_titles(client, commissioner, consultation):
    services.attach_document(
        actor=commissioner,
        consultation=consultation,
        upload=upload("easy-read.pdf", a_pdf()),
        title="Easy Read version",
        title_cy="Fersiwn Hawdd ei Ddarllen",
        easy_read=True,
    )
    welsh = consultation.documents.get(kind="consultation_draft", language="cy")
    english = consultation.documents.get(kind="consultation_draft", language="en")
    with override("cy"):
        url = reverse("engagement:consultation_detail", args=[consultation.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert 'lang="cy"' in html
    assert reverse("engagement:document_download", args=[consultation.pk, welsh.pk]) in html
    assert reverse("engagement:document_download", args=[consultation.pk, english.pk]) not in html
    assert "Fersiwn Hawdd ei Ddarllen" in html


def test_documents_of_a_draft_consultation_are_not_found_by_the_public(
    client, commissioner, written_plan
):
    draft = builders.consultation(actor=commissioner, plan=written_plan, publish=False)
    document = services.attach_document(
        actor=commissioner,
        consultation=draft,
        upload=upload("easy-read.pdf", a_pdf()),
        title="Easy Read version",
    )
    url = reverse("engagement:document_download", args=[draft.pk, document.pk])
    assert client.get(url).status_code == 404
    client.force_login(commissioner)
    assert client.get(url).status_code == 200


def test_a_document_is_found_only_through_its_own_consultation(
    client, commissioner, consultation, written_plan
):
    hidden = builders.consultation(
        actor=commissioner, plan=written_plan, title="Not yet", publish=False
    )
    document = services.attach_document(
        actor=commissioner,
        consultation=hidden,
        upload=upload("easy-read.pdf", a_pdf()),
        title="Easy Read version",
    )
    # The published consultation's address does not open another consultation's document.
    url = reverse("engagement:document_download", args=[consultation.pk, document.pk])
    assert client.get(url).status_code == 404


def test_a_commissioner_attaches_through_the_page_and_a_refusal_is_explained(
    client, commissioner, consultation
):
    client.force_login(commissioner)
    url = reverse("engagement:document_attach", args=[consultation.pk])
    form = client.get(url)
    assert 'enctype="multipart/form-data"' in form.content.decode()
    refused = client.post(
        url,
        {
            "title": "Easy Read version",
            "language": "en",
            "file": upload("easy-read.pdf", b"GIF89a not a pdf"),
        },
    )
    assert refused.status_code == 400
    assert "its contents are not a PDF document" in refused.content.decode()
    done = client.post(
        url,
        {
            "title": "Easy Read version",
            "language": "both",
            "easy_read": "on",
            "file": upload("easy-read.pdf", a_pdf()),
        },
    )
    assert done.status_code == 302
    document = consultation.documents.get(kind="attachment")
    assert document.easy_read and document.language == ""
    page = client.get(reverse("engagement:consultation_detail", args=[consultation.pk]))
    assert "Easy Read" in page.content.decode()
    removed = client.post(
        reverse("engagement:document_remove", args=[consultation.pk, document.pk])
    )
    assert removed.status_code == 302
    assert not consultation.documents.filter(kind="attachment").exists()


def test_someone_of_another_body_cannot_attach(client, consultation):
    stranger_body = OrganisationFactory(name="Westmarch County Council")
    stranger = PersonFactory(full_name="Wyn Westmarch")
    MembershipFactory(person=stranger, organisation=stranger_body, role=Role.COMMISSIONER)
    client.force_login(stranger)
    url = reverse("engagement:document_attach", args=[consultation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "file": upload("a.pdf", a_pdf())}).status_code == 403


def test_making_the_draft_fetches_no_address_named_in_it(client, consultation, monkeypatch):
    """Whatever found its way into the frozen page, a public request never makes the server
    fetch an address."""
    from urllib.request import OpenerDirector

    fetched = []
    monkeypatch.setattr(OpenerDirector, "open", lambda self, url, *a, **k: fetched.append(url))
    draft = consultation.documents.get(kind="consultation_draft", language="en")
    ConsultationDocument.objects.filter(pk=draft.pk).update(
        frozen_html=draft.frozen_html.replace(
            "</body>", '<img src="http://169.254.169.254/latest" alt="x"></body>'
        )
    )
    draft.refresh_from_db()
    assert download(client, draft).startswith(b"%PDF-")
    assert fetched == []
