"""Organisations, people and their roles, partnerships, and the reference data every stage of
the commissioning cycle uses (areas, client groups, commissioning models)."""

from datetime import date, timedelta
from typing import ClassVar, Self

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commissioning.core import ons, orgid


class LocalisedNameMixin(models.Model):
    """Reference data carries its own Welsh name; pages show the one for the active language."""

    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localised_name

    @property
    def localised_name(self) -> str:
        if (get_language() or "").startswith("cy") and self.name_cy:
            return self.name_cy
        return self.name


REGISTER_NAMES = {
    "GB-LAE": _("the register of local authorities in England"),
    "GB-PLA": _("the register of principal local authorities in Wales"),
    "GB-NHS": _("the NHS organisation data service"),
    "GB-CHC": _("the Charity Commission register"),
    "GB-COH": _("the Companies House register"),
    "GB-MPR": _("the FCA Mutuals Public Register"),
    "GB-GOR": _("the UK government organisation register"),
}


def identifier_error(exc: orgid.InvalidIdentifier) -> ValidationError:
    if exc.code == "empty":
        return ValidationError(_("Enter an organisation identifier."), code="empty")
    if exc.code == "scheme":
        return ValidationError(
            _("The identifier must start with one of %(prefixes)s, for example GB-CHC-1087614."),
            code="scheme",
            params=exc.params,
        )
    return ValidationError(
        _("%(identifier)s is not an identifier in %(register)s: it should look like %(example)s."),
        code="format",
        params={**exc.params, "register": REGISTER_NAMES[exc.params["scheme"]]},
    )


class OrganisationKind(models.TextChoices):
    COMMISSIONING_BODY = "commissioning_body", _("Commissioning body")
    PROVIDER = "provider", _("Provider")
    UMBRELLA = "umbrella", _("Umbrella or infrastructure body")
    REGULATOR = "regulator", _("Regulator")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    THIRD = "third", _("Third sector")


class LegalForm(models.TextChoices):
    CHARITY = "charity", _("Registered charity (trust or association)")
    CIO = "cio", _("Charitable incorporated organisation (CIO)")
    CIC = "cic", _("Community interest company (CIC)")
    COMPANY_LIMITED_BY_GUARANTEE = "clg", _("Company limited by guarantee")
    COOPERATIVE = "cooperative", _("Co-operative or community benefit society")
    UNINCORPORATED = "unincorporated", _("Unincorporated association")
    STATUTORY = "statutory", _("Statutory body")
    COMPANY = "company", _("Company")


class IncomeBand(models.TextChoices):
    # The NCVO Civil Society Almanac bands.
    MICRO = "micro", _("Micro: under £10,000 a year")
    SMALL = "small", _("Small: £10,000 to £100,000")
    MEDIUM = "medium", _("Medium: £100,000 to £1 million")
    LARGE = "large", _("Large: £1 million to £10 million")
    MAJOR = "major", _("Major: £10 million to £100 million")
    SUPER_MAJOR = "super_major", _("Super-major: over £100 million")


class Organisation(models.Model):
    Kind = OrganisationKind
    Sector = Sector
    LegalForm = LegalForm
    IncomeBand = IncomeBand

    # Which registers an organisation of each legal form can be identified in.
    SCHEMES_FOR_LEGAL_FORM: dict[str, tuple[str, ...]] = {
        LegalForm.CHARITY: ("GB-CHC",),
        LegalForm.CIO: ("GB-CHC",),
        LegalForm.CIC: ("GB-COH",),
        LegalForm.COMPANY_LIMITED_BY_GUARANTEE: ("GB-COH", "GB-CHC"),
        LegalForm.COOPERATIVE: ("GB-MPR", "GB-COH"),
        LegalForm.UNINCORPORATED: ("GB-CHC",),
        LegalForm.STATUTORY: ("GB-LAE", "GB-PLA", "GB-NHS", "GB-GOR"),
        LegalForm.COMPANY: ("GB-COH",),
    }

    name = models.CharField(_("name"), max_length=255)
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=40,
        blank=True,
        help_text=_("In org-id form, for example GB-CHC-1087614 for a registered charity."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices)
    income_band = models.CharField(
        _("annual income"), max_length=16, choices=IncomeBand.choices, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~Q(identifier=""),
                name="organisation_identifier_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="organisation_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.identifier:
            try:
                parsed = orgid.parse(self.identifier)
            except orgid.InvalidIdentifier as exc:
                errors.setdefault("identifier", []).append(identifier_error(exc))
            else:
                self.identifier = str(parsed)
                allowed = self.SCHEMES_FOR_LEGAL_FORM.get(self.legal_form, ())
                if allowed and parsed.scheme not in allowed:
                    errors.setdefault("identifier", []).append(
                        ValidationError(
                            _(
                                "An organisation that is a %(legal_form)s is identified by "
                                "%(schemes)s, not %(scheme)s."
                            ),
                            code="wrong_scheme",
                            params={
                                "legal_form": self.get_legal_form_display(),
                                "schemes": ", ".join(allowed),
                                "scheme": parsed.scheme,
                            },
                        )
                    )
        elif self.legal_form != self.LegalForm.UNINCORPORATED:
            errors.setdefault("identifier", []).append(
                ValidationError(
                    _(
                        "Enter the organisation's identifier. Only unincorporated associations may "
                        "have none."
                    ),
                    code="required",
                )
            )
        if self.kind == self.Kind.COMMISSIONING_BODY and self.sector != self.Sector.PUBLIC:
            errors.setdefault("sector", []).append(
                ValidationError(_("A commissioning body is in the public sector."), code="sector")
            )
        if errors:
            raise ValidationError(errors)


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "Person":
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def get_by_natural_key(self, username: str | None) -> "Person":
        # People type their address with capitals now and then; addresses are stored lower-case.
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(
        self, email: str, password: str | None = None, **extra: object
    ) -> "Person":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: a commissioner, a provider's staff member, a councillor…
    Platform administrators are people with `is_superuser`."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en", "English"), ("cy", "Cymraeg")],
        default="en",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the administration site"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


class Role(models.TextChoices):
    COMMISSIONER = "commissioner", _("Commissioner")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    EVALUATOR = "evaluator", _("Evaluator")
    SCRUTINY = "scrutiny", _("Scrutiny (councillor)")
    PROVIDER_USER = "provider_user", _("Provider user")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")


# Which roles each kind of organisation can give its people.
ROLES_FOR_KIND: dict[str, frozenset[str]] = {
    Organisation.Kind.COMMISSIONING_BODY: frozenset(
        {
            Role.COMMISSIONER,
            Role.PROCUREMENT_OFFICER,
            Role.EVALUATOR,
            Role.SCRUTINY,
            Role.ORGANISATION_ADMIN,
        }
    ),
    Organisation.Kind.PROVIDER: frozenset({Role.PROVIDER_USER, Role.ORGANISATION_ADMIN}),
    Organisation.Kind.UMBRELLA: frozenset({Role.PROVIDER_USER, Role.ORGANISATION_ADMIN}),
    Organisation.Kind.REGULATOR: frozenset({Role.ORGANISATION_ADMIN}),
}


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.organisation}"

    def clean(self) -> None:
        _refuse_role_for_kind(self.organisation, self.role, self.get_role_display())


def _refuse_role_for_kind(organisation: Organisation, role: str, role_label: str) -> None:
    allowed = ROLES_FOR_KIND.get(organisation.kind, frozenset())
    if role not in allowed:
        raise ValidationError(
            {
                "role": ValidationError(
                    _("A %(kind)s cannot give its people the role %(role)s."),
                    code="role_kind",
                    params={"kind": organisation.get_kind_display(), "role": role_label},
                )
            }
        )


class Invitation(models.Model):
    """An organisation's offer of a role to a person. Nobody is placed in an organisation by
    someone else: the person accepts (or declines) the offer from their own account, and only
    then holds the role. Until then it grants nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    VALID_FOR = timedelta(days=14)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("open until"))
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                condition=Q(status="pending"),
                name="one_open_invitation_per_role",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
        ]

    def __str__(self) -> str:
        # Audit labels and organisation pages show this: never the invited person's name.
        return f"{self.get_role_display()}, {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()

    def clean(self) -> None:
        _refuse_role_for_kind(self.organisation, self.role, self.get_role_display())


class Area(LocalisedNameMixin):
    """An ONS statistical geography: a country, an English region or a local authority."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")

    code = models.CharField(_("ONS code"), max_length=9, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def clean(self) -> None:
        try:
            kind = ons.entity_type(self.code)
        except ons.InvalidAreaCode as exc:
            if exc.code == "format":
                message = _(
                    "%(code)s is not an ONS area code: it should be a letter and eight "
                    "digits, like E06000047."
                )
            else:
                message = _("%(code)s is not a country, English region or local authority code.")
            raise ValidationError(
                {"code": ValidationError(message, code=exc.code, params={"code": exc.text})}
            ) from None
        self.code = self.code.strip().upper()
        if kind.level != self.level:
            raise ValidationError(
                {
                    "level": ValidationError(
                        _("%(code)s is the code of a %(level)s."),
                        code="level",
                        params={"code": self.code, "level": self.Level(kind.level).label},
                    )
                }
            )


class ClientGroup(LocalisedNameMixin):
    """A care group whose needs are assessed and services commissioned together."""

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")


class CycleModel(LocalisedNameMixin):
    """A published model of the commissioning cycle, its stages held as data."""

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("The publication that describes this model.")
    )
    is_default = models.BooleanField(_("default model"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commissioning cycle model")
        verbose_name_plural = _("commissioning cycle models")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_cycle_model"
            )
        ]


class CycleStage(LocalisedNameMixin):
    model = models.ForeignKey(CycleModel, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    slug = models.SlugField(_("short name"), max_length=64)
    description = models.TextField(_("what happens in this stage"), blank=True)
    description_cy = models.TextField(_("what happens in this stage, in Welsh"), blank=True)

    class Meta:
        ordering = ["model", "position"]
        verbose_name = _("cycle stage")
        verbose_name_plural = _("cycle stages")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "position"], name="cycle_stage_position_unique"
            ),
            models.UniqueConstraint(fields=["model", "slug"], name="cycle_stage_slug_unique"),
        ]

    @property
    def localised_description(self) -> str:
        if (get_language() or "").startswith("cy") and self.description_cy:
            return self.description_cy
        return self.description


class Partnership(models.Model):
    """Two or more commissioning bodies commissioning together, one of them the lead."""

    name = models.CharField(_("name"), max_length=255)
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships_led",
        verbose_name=_("lead commissioner"),
    )
    members = models.ManyToManyField(
        Organisation, through="PartnershipMember", related_name="partnerships"
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="partnerships")
    has_pooled_fund = models.BooleanField(_("has a pooled fund"), default=False)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    def clean(self) -> None:
        if self.organisation.kind != Organisation.Kind.COMMISSIONING_BODY:
            raise ValidationError(
                {"organisation": _("Only commissioning bodies can be members of a partnership.")}
            )


class PublishedRecord(models.Model):
    """Something a commissioning body (or a partnership it leads) writes as a draft and then
    publishes: a needs assessment, a market analysis, a plan, and the procurement exercises,
    contracts and reviews to come. A published record never changes; its next version does.

    Each kind sets its own `status` choices (their lifecycles differ) and names the statuses in
    which everyone may read it (`PUBLIC`). What `core.published` copies into the next version
    is declared beside the model: `COPIED_TO_NEXT_VERSION` (its children, by accessor name,
    in the order they are copied; `outcomes__indicators` for a child's children) and
    `KEPT_WITH_THIS_VERSION` (accessor name: why it is left behind). A model that points at it
    from an app built on this one, or from another published record, says so itself, in
    `KEPT_WITH_ITS_VERSION` (its field name: why), so the record's app never names the apps
    above it. A test walks every relation and fails on one nobody decided."""

    PUBLIC: ClassVar[frozenset[str]] = frozenset()
    COPIED_TO_NEXT_VERSION: ClassVar[tuple[str, ...]] = ()
    KEPT_WITH_THIS_VERSION: ClassVar[dict[str, str]] = {}
    # This record's own links to another published record (its field name: why the link stays).
    KEPT_WITH_ITS_VERSION: ClassVar[dict[str, str]] = {}
    # Fields the next version starts afresh (back to their default), besides its publication.
    RESET_IN_NEXT_VERSION: ClassVar[tuple[str, ...]] = ()

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnership"),
    )
    # Each kind declares its own choices and starting status.
    status = models.CharField(_("status"), max_length=16)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version: "models.OneToOneField[Self | None, Self | None]" = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC


class ApiToken(models.Model):
    """A personal token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ThrottleCount(models.Model):
    """How many times one client (or one email address, or one account) has used something
    limited — answering a consultation, being sent an email — in one fixed window of time. Kept
    in the database so that every web process counts together; the key is a keyed hash, so no
    address is stored. `commissioning.core.throttle` is the only writer."""

    scope = models.CharField(max_length=64)
    key_digest = models.CharField(max_length=64)
    window_start = models.BigIntegerField(help_text="Seconds since 1970.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key_digest", "window_start"], name="one_count_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_digest[:8]}… {self.hits}"


class DeclarationOfInterest(models.Model):
    """A person's declared interest: shown wherever they act on a plan, and read by procurement
    to flag conflicts. Declarations are never deleted, only ended. Kept here, under every app
    that reads it; its table keeps the name it had when engagement held it."""

    class Kind(models.TextChoices):
        # The categories of NHS England's Managing conflicts of interest guidance (2017).
        FINANCIAL = "financial", _("Financial interest")
        NON_FINANCIAL_PROFESSIONAL = "professional", _("Non-financial professional interest")
        NON_FINANCIAL_PERSONAL = "personal", _("Non-financial personal interest")
        INDIRECT = "indirect", _("Indirect interest (through a close family member or associate)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations"
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_interests",
        verbose_name=_("provider the interest is in"),
    )
    kind = models.CharField(_("kind of interest"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("the interest"))
    declared_on = models.DateField(_("declared on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "engagement_declarationofinterest"
        ordering = ["person", "-declared_on", "-pk"]
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")

    def __str__(self) -> str:
        return f"{self.person}: {self.description}"

    def is_in_force(self, on: date | None = None) -> bool:
        """Declared on or before the day (today by default) and not ended by it."""
        day = on or timezone.localdate()
        return self.declared_on <= day and (self.ended_on is None or self.ended_on > day)
