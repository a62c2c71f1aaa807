"""Every write to core data: keyword-only arguments, one transaction, an access check,
`full_clean`, and an audit event in the same transaction.

`actor=SYSTEM` (from `access`) is the platform acting from the command line; `None` is an
anonymous caller and is refused like one."""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.audit.services import record_event, snapshot
from commissioning.core import throttle
from commissioning.core.access import (
    SYSTEM,
    Action,
    PermissionDenied,
    acting_person,
    can,
    forget_roles,
    is_approved,
    is_platform_admin,
    require,
)
from commissioning.core.models import (
    ApiToken,
    Area,
    ClientGroup,
    DeclarationOfInterest,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    PartnershipMember,
    Person,
    Role,
)
from commissioning.core.selectors import organisation_by_pk
from commissioning.core.signals import sign_up_withdrawn
from commissioning.core.tasks import (
    send_invitation,
    send_password_reset,
    send_sign_up_confirmation,
    send_sign_up_notice,
)
from commissioning.core.tokens import sign_up_tokens
from commissioning.kit.text import has_markup

# What the inviter is told, whether or not the address has an account.
INVITATION_SENT = gettext_lazy(
    "We have sent an invitation to that address. They join once they accept it."
)

ORGANISATION_FIELDS = (
    "name",
    "identifier",
    "kind",
    "sector",
    "legal_form",
    "income_band",
    "website",
)


@transaction.atomic
def create_organisation(
    *, actor: Any, is_demonstration: bool = False, **fields: Any
) -> Organisation:
    if not is_platform_admin(actor):
        raise PermissionDenied
    organisation = Organisation(
        is_demonstration=is_demonstration,
        **{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS},
    )
    organisation.full_clean()
    organisation.save()
    record_event(
        actor=actor,
        verb="organisation.created",
        target=organisation,
        organisation=organisation,
        after=snapshot(organisation),
    )
    return organisation


@transaction.atomic
def update_organisation(*, actor: Any, organisation: Organisation, **changes: Any) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require(actor, Action.CHANGE, organisation)
    before = snapshot(organisation)
    for field, value in changes.items():
        if field not in ORGANISATION_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    record_event(
        actor=actor,
        verb="organisation.updated",
        target=organisation,
        organisation=organisation,
        before=before,
        after=snapshot(organisation),
    )
    return organisation


@transaction.atomic
def create_person(
    *,
    actor: Any,
    email: str,
    full_name: str,
    password: str | None = None,
    make_platform_admin: bool = False,
    preferred_language: str = "en",
) -> Person:
    """Create an account directly (platform administrators). Organisation administrators add
    people with `invite_member`, which invites them instead."""
    if not is_platform_admin(actor):
        raise PermissionDenied
    person = Person(
        email=Person.objects.normalize_email(email).strip().lower(),
        full_name=full_name.strip(),
        preferred_language=preferred_language,
        is_staff=make_platform_admin,
        is_superuser=make_platform_admin,
    )
    if password:
        validate_password(password, person)
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean()
    person.save()
    record_event(
        actor=actor,
        verb="person.created",
        target=person,
        after=snapshot(person, ["email", "full_name", "is_superuser"]),
    )
    return person


@transaction.atomic
def invite_member(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    base_url: str = "http://127.0.0.1:8000",
) -> None:
    """Invite a person to take a role in an organisation. Nobody is placed in an organisation by
    someone else: an existing account is sent an invitation to accept from its account page; a
    new address gets an account and the same invitation, with a link to choose a password.
    Returns nothing, and does the same visible things whether or not the address has an account,
    so that the caller learns nothing about other people's accounts."""
    require(actor, Action.MANAGE_MEMBERS, organisation)
    # The role is checked against the organisation before any account is looked up.
    Invitation(organisation=organisation, role=role).clean()
    email = Person.objects.normalize_email(email).strip().lower()
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = _invited_person(actor=actor, email=email, full_name=full_name)
    if Membership.objects.filter(person=person, organisation=organisation, role=role).exists():
        return  # they have the role already: nothing to offer
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            person=person,
            organisation=organisation,
            role=role,
            status=Invitation.Status.PENDING,
        )
        .first()
    ) or Invitation(person=person, organisation=organisation, role=role)
    invitation.invited_by = acting_person(actor)
    invitation.expires_at = timezone.now() + Invitation.VALID_FOR
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        return  # the same invitation sent by a request a moment earlier, which emails it
    record_event(
        actor=actor,
        verb="invitation.sent",
        target=invitation,
        organisation=organisation,
        after={"email": email, "role": role, "expires_at": invitation.expires_at.isoformat()},
    )
    # Invitations are not a way to flood someone's inbox: a few an hour to one address.
    if throttle.hit("invitation-address", email, limit=settings.EMAILS_PER_ADDRESS_PER_HOUR):
        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk, base_url))


def _invited_person(*, actor: Any, email: str, full_name: str) -> Person:
    """A new account for an invited address, or the one a request a moment earlier made."""
    person = Person(email=email, full_name=full_name.strip())
    person.set_unusable_password()
    person.full_clean(validate_unique=False)  # the database's check below, which a race meets
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # the same address invited (or signed up) by a request a moment earlier
        return Person.objects.get(email__iexact=email)
    # Not in the organisation's own trail, which its administrators read: there it would tell
    # them that the address had no account before.
    record_event(
        actor=actor,
        verb="person.invited",
        target=person,
        after=snapshot(person, ["email"]),
    )
    return person


@transaction.atomic
def accept_invitation(*, actor: Any, invitation: Invitation) -> Membership:
    """The invited person takes the role they were offered."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require(actor, Action.DECIDE, invitation)
    _refuse_closed(invitation)
    # Asked again now: an invitation brings nobody into an organisation that is not (or no
    # longer) approved, nor on the word of someone who no longer manages its members.
    inviter = invitation.invited_by
    if not is_approved(invitation.organisation) or (
        inviter is not None and not can(inviter, Action.MANAGE_MEMBERS, invitation.organisation)
    ):
        raise ValidationError(
            _(
                "This invitation can no longer be accepted: the organisation or the person who "
                "sent it can no longer invite people."
            ),
            code="withdrawn",
        )
    membership, _created = Membership.objects.get_or_create(
        person_id=invitation.person_id,
        organisation_id=invitation.organisation_id,
        role=invitation.role,
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    forget_roles(actor)
    record_event(
        actor=actor,
        verb="invitation.accepted",
        target=invitation,
        organisation=invitation.organisation,
    )
    record_event(
        actor=actor,
        verb="membership.added",
        target=membership,
        organisation=invitation.organisation,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def decline_invitation(*, actor: Any, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require(actor, Action.DECIDE, invitation)
    _refuse_closed(invitation)
    invitation.status = Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    record_event(
        actor=actor,
        verb="invitation.declined",
        target=invitation,
        organisation=invitation.organisation,
    )
    return invitation


def _refuse_closed(invitation: Invitation) -> None:
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation has already been answered or has expired."), code="closed"
        )


@transaction.atomic
def give_role(*, actor: Any, organisation: Organisation, person: Person, role: str) -> Membership:
    """A platform administrator gives a person a role directly (setting up the platform and its
    demonstration); everyone else invites."""
    if not is_platform_admin(actor):
        raise PermissionDenied
    membership = Membership(person=person, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    forget_roles(person)
    record_event(
        actor=actor,
        verb="membership.added",
        target=membership,
        organisation=organisation,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def remove_member(*, actor: Any, membership: Membership, reason: str = "") -> None:
    require(actor, Action.MANAGE_MEMBERS, membership.organisation)
    organisation = membership.organisation
    is_last_admin = (
        membership.role == Role.ORGANISATION_ADMIN
        and not Membership.objects.filter(organisation=organisation, role=Role.ORGANISATION_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )
    if is_last_admin and not is_platform_admin(actor):
        raise ValidationError(
            _(
                "An organisation needs at least one administrator. Add another before removing "
                "this one."
            ),
            code="last_admin",
        )
    before = snapshot(membership)
    record_event(
        actor=actor,
        verb="membership.removed",
        target=membership,
        organisation=organisation,
        before=before,
        reason=reason,
    )
    membership.delete()
    forget_roles(membership.person)


@transaction.atomic
def create_partnership(
    *,
    actor: Any,
    name: str,
    lead: Organisation,
    members: Iterable[Organisation],
    areas: Iterable[Area] = (),
    has_pooled_fund: bool = False,
    terms_of_reference: str = "",
    is_demonstration: bool = False,
) -> Partnership:
    if not is_platform_admin(actor):
        require(actor, Action.MANAGE_MEMBERS, lead)
    member_list = list({m.pk: m for m in [lead, *members]}.values())
    if len(member_list) < 2:
        raise ValidationError(
            _("A partnership needs at least two commissioning bodies."), code="too_few"
        )
    partnership = Partnership(
        name=name,
        lead=lead,
        has_pooled_fund=has_pooled_fund,
        terms_of_reference=terms_of_reference,
        is_demonstration=is_demonstration,
    )
    partnership.full_clean()
    partnership.save()
    for organisation in member_list:
        member = PartnershipMember(partnership=partnership, organisation=organisation)
        member.full_clean()
        member.save()
    partnership.areas.set(list(areas))
    record_event(
        actor=actor,
        verb="partnership.created",
        target=partnership,
        organisation=lead,
        after={
            **snapshot(partnership),
            "members": sorted(m.pk for m in member_list),
            "areas": sorted(a.code for a in partnership.areas.all()),
        },
    )
    return partnership


def _token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Make a token for the API. The plain text is returned once and never stored."""
    if not actor.is_authenticated:
        raise PermissionDenied
    plaintext = "oc_" + secrets.token_urlsafe(32)
    token = ApiToken(
        person=actor, name=name.strip(), prefix=plaintext[:10], key_hash=_token_hash(plaintext)
    )
    token.full_clean()
    token.save()
    record_event(
        actor=actor,
        verb="api_token.created",
        target=token,
        after=snapshot(token, ["name", "prefix"]),
    )
    return token, plaintext


@transaction.atomic
def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    require(actor, Action.CHANGE, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            verb="api_token.revoked",
            target=token,
            after=snapshot(token, ["name", "prefix", "revoked_at"]),
        )
    return token


def person_for_api_token(plaintext: str) -> Person | None:
    """The active person a token belongs to, or None; notes when it was last used."""
    if not plaintext.startswith("oc_"):
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=_token_hash(plaintext), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


@transaction.atomic
def save_reference_record(*, actor: Any, record: Area | ClientGroup | Any, reason: str = "") -> Any:
    """Create or change a piece of reference data (area, client group, cycle model)."""
    require(actor, Action.CHANGE, record)
    adding = record._state.adding
    before = None if adding else snapshot(type(record).objects.get(pk=record.pk))
    record.full_clean()
    record.save()
    record_event(
        actor=actor,
        verb=f"{record._meta.model_name}.{'created' if adding else 'updated'}",
        target=record,
        before=before,
        after=snapshot(record),
        reason=reason,
    )
    return record


@transaction.atomic
def set_preferred_language(*, actor: Any, language: str) -> None:
    if actor.is_authenticated and actor.preferred_language != language:
        Person.objects.filter(pk=actor.pk).update(preferred_language=language)
        actor.preferred_language = language


@transaction.atomic
def sign_up_organisation(
    *,
    full_name: str,
    email: str,
    password: str,
    preferred_language: str = "en",
    **fields: Any,
) -> tuple[Organisation, Person] | None:
    """A provider or umbrella body signs itself up, with no one's permission: the organisation
    (its identifier checked against the register its legal form belongs to) and its first
    person, who becomes its administrator. What the organisation may then do is for other
    apps to decide; the market's register, for one, waits for a commissioner's approval.

    Nobody can sign in to the account until its address is confirmed through the link the task
    queue emails. An address that already has an account is treated alike up to the end — the
    same checks, the same work — but nothing is made: its holder is emailed instead and None is
    returned, so that what the signer sees reveals nothing about anyone's account. An account that
    is nothing but an earlier sign-up never confirmed is not kept against the address: the new
    sign-up replaces it and its organisation (see `_unconfirmed_sign_up`)."""
    if fields.get("kind") not in (Organisation.Kind.PROVIDER, Organisation.Kind.UMBRELLA):
        raise ValueError("only providers and umbrella bodies sign themselves up")
    email = Person.objects.normalize_email(email).strip().lower()
    existing = Person.objects.select_for_update().filter(email__iexact=email).first()
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    person = Person(email=email, full_name=full_name.strip(), preferred_language=preferred_language)
    with transaction.atomic():  # the replaced sign-up comes back if the new one is refused
        if existing is not None and (withdrawn := _unconfirmed_sign_up(existing)) is not None:
            # Nobody ever confirmed that address: the new sign-up replaces the old, so that an
            # address cannot be held by whoever signs it up first.
            _withdraw_sign_up(existing, withdrawn)
            existing = None
        _validate_sign_up(organisation, person, password)
    # The chosen password is kept behind Django's mark of an unusable one until the address is
    # confirmed (`confirm_sign_up` takes the mark off); hashed either way, to take as long.
    person.password = UNUSABLE_PASSWORD_PREFIX + make_password(password)
    if existing is None:
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:  # the same address signed up by a request a moment earlier
            existing = Person.objects.get(email__iexact=email)
    if existing is not None:
        # Told only to a confirmed account: an unconfirmed one is the sign-up of a moment ago.
        if existing.has_usable_password() and _sign_up_email_allowed(email):
            send_sign_up_notice.enqueue(existing.pk, organisation.name)
        return None
    organisation.save()
    membership = Membership.objects.create(
        person=person, organisation=organisation, role=Role.ORGANISATION_ADMIN
    )
    # A database task is written in this transaction, so the worker sees it with the person.
    # Signing up again replaces an unconfirmed sign-up, so the links sent to one address are
    # limited like the notices: past the limit, the sign-up waits for a later one to confirm it.
    if _sign_up_email_allowed(email):
        send_sign_up_confirmation.enqueue(person.pk, organisation.name)
    record_event(
        actor=person,
        verb="organisation.signed_up",
        target=organisation,
        organisation=organisation,
        after={**snapshot(organisation), "administrator": person.email},
    )
    record_event(
        actor=person,
        verb="membership.added",
        target=membership,
        organisation=organisation,
        after=snapshot(membership),
    )
    return organisation, person


def _sign_up_email_allowed(email: str) -> bool:
    """Sign-up emails (links and notices alike) to one address, limited per hour."""
    return throttle.hit("sign-up-email", email, limit=settings.EMAILS_PER_ADDRESS_PER_HOUR)


def _validate_sign_up(organisation: Organisation, person: Person, password: str) -> None:
    errors: dict[str, list[ValidationError]] = {}
    for record in (organisation, person):
        try:
            # The address's uniqueness is not a form error: that would tell who has an account.
            record.full_clean(exclude=["password"], validate_unique=record is organisation)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                errors.setdefault(field, []).extend(messages)
    try:
        validate_password(password, person)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)


def _unconfirmed_sign_up(person: Person) -> Organisation | None:
    """The organisation an account was signed up with, if the account is nothing more than that
    sign-up: its address never confirmed (no usable password), never signed in to, and its only
    tie the one organisation it made, which nobody else belongs to and nobody has approved."""
    if person.has_usable_password() or person.last_login is not None or person.is_staff:
        return None
    if person.invitations.exists() or person.api_tokens.exists():
        return None
    memberships = list(person.memberships.select_related("organisation")[:2])
    if len(memberships) != 1 or memberships[0].role != Role.ORGANISATION_ADMIN:
        return None
    organisation = memberships[0].organisation
    if (
        organisation.memberships.exclude(person=person).exists()
        or organisation.invitations.exists()
        or is_approved(organisation)
    ):
        return None
    return organisation


def _withdraw_sign_up(person: Person, organisation: Organisation) -> None:
    """Remove an unconfirmed sign-up (its account and organisation), audited, for a new one."""
    record_event(
        actor=SYSTEM,
        verb="organisation.sign_up_withdrawn",
        target=organisation,
        organisation=organisation,
        before={**snapshot(organisation), "administrator": person.email},
    )
    record_event(
        actor=SYSTEM,
        verb="person.sign_up_withdrawn",
        target=person,
        before=snapshot(person, ["email", "full_name"]),
    )
    sign_up_withdrawn.send(sender=Organisation, organisation=organisation)
    organisation.delete()
    person.delete()


@transaction.atomic
def confirm_sign_up(*, uidb64: str, token: str) -> Person | None:
    """Someone follows the link that confirms their new account's address: the password they
    chose becomes usable. None if the link is not valid, is used or is over 24 hours old."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    person = Person.objects.select_for_update().filter(pk=pk).first()
    if person is None or not sign_up_tokens.check_token(person, token):
        return None
    person.password = person.password.removeprefix(UNUSABLE_PASSWORD_PREFIX)
    person.save(update_fields=["password"])
    record_event(actor=person, verb="person.email_confirmed", target=person)
    return person


@transaction.atomic
def request_password_reset(*, email: str, client: str, base_url: str) -> None:
    """Someone asks for a link to choose a new password. The caller answers the same whether or
    not the address has an account and whether or not the request is over the limits (per
    address and per client, in an hour): the account is looked up, and the email sent, by the
    task queue, so the answer takes as long either way."""
    address = throttle.normalised_email(email)
    if throttle.hit(
        "password-reset-client", client, limit=settings.EMAILS_PER_CLIENT_PER_HOUR
    ) and throttle.hit(
        "password-reset-address", address, limit=settings.EMAILS_PER_ADDRESS_PER_HOUR
    ):
        send_password_reset.enqueue(address, base_url)  # needs nothing this transaction writes


def refuse_markup(values: Mapping[str, Any]) -> None:
    """Narrative is Markdown and everything else plain text; HTML (a script among it) is refused
    rather than stripped, so that nothing is silently lost."""
    errors = {
        field: ValidationError(
            _(
                "Remove the HTML tags (anything written between < and >): write plain text, "
                "or Markdown where the page says so."
            ),
            code="markup",
        )
        for field, value in values.items()
        if isinstance(value, str) and has_markup(value)
    }
    if errors:
        raise ValidationError(errors)


# --- declarations of interest -------------------------------------------------------------------


@transaction.atomic
def declare_interest(
    *,
    actor: Any,
    person_id: int,
    kind: str,
    description: str,
    provider_id: int | None = None,
    declared_on: date | None = None,
    organisation: Organisation | None = None,
) -> DeclarationOfInterest:
    """Record a person's interest. Who may declare for whom is the declaration's access rule;
    `organisation`, when given, is the body whose audit trail the event belongs on."""
    refuse_markup({"description": description})
    if kind not in DeclarationOfInterest.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of interest.")}, code="kind")
    if not description.strip():
        raise ValidationError(
            {"description": _("Describe the interest: what it is and in whom.")},
            code="required",
        )
    declaration = DeclarationOfInterest(
        person_id=person_id,
        kind=kind,
        description=description.strip(),
        provider=organisation_by_pk(provider_id) if provider_id else None,
        declared_on=declared_on or timezone.localdate(),
        recorded_by=acting_person(actor),
    )
    require(actor, Action.CHANGE, declaration)
    if declaration.declared_on > timezone.localdate():
        raise ValidationError(
            {"declared_on": _("The date of the declaration cannot be in the future.")},
            code="future",
        )
    declaration.save()
    record_event(
        actor=actor,
        verb="interest.declared",
        target=declaration,
        organisation=organisation,
        after=snapshot(declaration),
    )
    return declaration


@transaction.atomic
def end_declaration(
    *, actor: Any, declaration: DeclarationOfInterest, ended_on: date
) -> DeclarationOfInterest:
    require(actor, Action.CHANGE, declaration)
    if ended_on < declaration.declared_on:
        raise ValidationError(
            {"ended_on": _("An interest cannot end before it was declared.")}, code="order"
        )
    before = snapshot(declaration)
    declaration.ended_on = ended_on
    declaration.save(update_fields=["ended_on"])
    record_event(
        actor=actor,
        verb="interest.ended",
        target=declaration,
        before=before,
        after=snapshot(declaration),
    )
    return declaration
