"""Background work for core: run by `db_worker` in production, at once in tests."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from commissioning.core import work_items
from commissioning.core.models import Invitation
from commissioning.core.tokens import sign_up_tokens


@task()
def send_invitation(invitation_id: int, base_url: str) -> None:
    """Email an invited person, in their language: someone new gets a one-time link to choose
    their password; everyone is asked to accept or decline on their account page."""
    invitation = Invitation.objects.select_related("person", "organisation").get(pk=invitation_id)
    if not invitation.is_open:
        return  # answered (or expired) before the email went
    person = invitation.person
    base = base_url.rstrip("/")
    link = base + reverse("core:account")
    if not person.has_usable_password():
        token = default_token_generator.make_token(person)
        uid = urlsafe_base64_encode(force_bytes(person.pk))
        link = base + reverse("core:password_reset_confirm", args=[uid, token])
    with translation.override(person.preferred_language):
        subject = _("You are invited to join %(organisation)s on Open Commissioning") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string(
            "core/email/invitation.txt",
            {
                "person": person,
                "invitation": invitation,
                "organisation": invitation.organisation,
                "new_account": not person.has_usable_password(),
                "link": link,
            },
        )
    send_mail(subject, body, None, [person.email])


@task()
def send_password_reset(email: str, base_url: str) -> None:
    """Email a link to choose a new password to each active account with this address (none, if
    there is none: the page that asked has already answered the same either way), in the
    account holder's language."""
    form = PasswordResetForm()
    site = urlsplit(base_url)
    for person in form.get_users(email):
        context = {
            "email": person.email,
            "domain": site.netloc,
            "site_name": site.netloc,
            "uid": urlsafe_base64_encode(force_bytes(person.pk)),
            "user": person,
            "token": default_token_generator.make_token(person),
            "protocol": site.scheme,
        }
        with translation.override(person.preferred_language):
            form.send_mail(
                "core/email/password_reset_subject.txt",
                "core/email/password_reset.txt",
                context,
                None,
                person.email,
            )


@task()
def send_sign_up_confirmation(person_id: int, organisation_name: str) -> None:
    """Ask someone who has just signed up to confirm their email address: until they follow the
    link, their account cannot be signed in to. A sign-up replaced before this ran is gone."""
    person = get_user_model().objects.filter(pk=person_id).first()
    if person is None:
        return
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    link = settings.SITE_URL + reverse(
        "core:sign_up_confirm", args=[uid, sign_up_tokens.make_token(person)]
    )
    with translation.override(person.preferred_language):
        subject = _("Confirm your email address for Open Commissioning")
        body = render_to_string(
            "core/email/sign_up_confirm.txt",
            {"person": person, "organisation": organisation_name, "link": link},
        )
    send_mail(subject, body, None, [person.email])


@task()
def send_sign_up_notice(person_id: int, organisation_name: str) -> None:
    """Someone signed up an organisation with the address of an existing account: the page they
    saw said to check their email, as it says to everyone, and the account holder hears of it
    here."""
    person = get_user_model().objects.get(pk=person_id)
    with translation.override(person.preferred_language):
        subject = _("Someone tried to sign up to Open Commissioning with your email address")
        body = render_to_string(
            "core/email/sign_up_existing.txt",
            {
                "person": person,
                "organisation": organisation_name,
                "sign_in": settings.SITE_URL + reverse("core:sign_in"),
                "reset": settings.SITE_URL + reverse("core:password_reset"),
            },
        )
    send_mail(subject, body, None, [person.email])


@task()
def send_work_notice(queue_key: str, pk: int) -> int:
    """Tell each person who must act on a record that it is waiting for them, in their own
    language, with a link to act on it: the notice the record's work queue describes."""
    registered = work_items.queue(queue_key)
    if registered.recipients is None or registered.describe is None:
        return 0
    sent = 0
    for person in registered.recipients(pk):
        if not person.is_active or not person.email:
            continue
        with translation.override(person.preferred_language):
            notice = registered.describe(pk)
            if notice is None:
                return sent  # dealt with, or gone, before the email went
            body = render_to_string(
                "core/email/work_waiting.txt",
                {
                    "person": person,
                    "notice": notice,
                    "link": settings.SITE_URL + notice.path,
                    "dashboard": settings.SITE_URL + reverse("web:dashboard"),
                },
            )
        send_mail(notice.subject, body, None, [person.email])
        sent += 1
    return sent
