"""Background work for core: run by `db_worker` in production, at once in tests."""

from urllib.parse import urlsplit

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

from commissioning.core.models import Organisation, Person


@task()
def send_invitation(person_id: int, organisation_id: int, base_url: str) -> None:
    """Email a newly added person a one-time link to choose their password, in their language."""
    person = Person.objects.get(pk=person_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    token = default_token_generator.make_token(person)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    link = base_url.rstrip("/") + reverse("core:password_reset_confirm", args=[uid, token])
    with translation.override(person.preferred_language):
        subject = _("You have been added to %(organisation)s on Open Commissioning") % {
            "organisation": organisation.name
        }
        body = render_to_string(
            "core/email/invitation.txt",
            {"person": person, "organisation": organisation, "link": link},
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
