"""The provider market: providers in every sector, the services they run and where, imports of
the regulator's lists, and the register of approved providers (accreditation schemes,
applications with evidence, accreditations, and the commissioning bodies that recognise a
scheme so that its accreditation is passported into their procurements)."""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import PublishedRecord
from commissioning.core.phrases import Phrase


class CapacityUnit(models.TextChoices):
    BEDS = "beds", _("beds")
    HOURS_A_WEEK = "hours_week", _("hours a week")
    PLACES = "places", _("places")
    PEOPLE = "people", _("people supported")


class ServiceType(models.Model):
    """Reference data, editable by platform administrators: the kinds of service the market is
    analysed by, with the regulator's own words for each (CQC's "Service type - Care home service
    with nursing", the care directory's "Nursing homes") so imports can place a location."""

    slug = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    capacity_unit = models.CharField(
        _("capacity is counted in"), max_length=16, choices=CapacityUnit.choices
    )
    is_regulated = models.BooleanField(_("registered with a regulator"), default=False)
    regulator_terms = models.JSONField(_("the regulator's names for it"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.localised_name

    @property
    def localised_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class Rating(models.TextChoices):
    OUTSTANDING = "outstanding", _("Outstanding")
    GOOD = "good", _("Good")
    REQUIRES_IMPROVEMENT = "requires_improvement", _("Requires improvement")
    INADEQUATE = "inadequate", _("Inadequate")


class Funding(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    SLA = "sla", _("Service level agreement")
    GRANT = "grant", _("Grant")
    SPOT = "spot", _("Spot purchase")
    SELF_FUNDED = "self_funded", _("Self-funders")


INCOME_BANDS = [
    # The NCVO Civil Society Almanac bands, as core's organisations use them.
    ("micro", _("Micro: under £10,000 a year")),
    ("small", _("Small: £10,000 to £100,000")),
    ("medium", _("Medium: £100,000 to £1 million")),
    ("large", _("Large: £1 million to £10 million")),
    ("major", _("Major: £10 million to £100 million")),
    ("super_major", _("Super-major: over £100 million")),
]
LEGAL_FORMS = [
    ("charity", _("Registered charity (trust or association)")),
    ("cio", _("Charitable incorporated organisation (CIO)")),
    ("cic", _("Community interest company (CIC)")),
    ("clg", _("Company limited by guarantee")),
    ("cooperative", _("Co-operative or community benefit society")),
    ("unincorporated", _("Unincorporated association")),
    ("company", _("Company")),
    ("statutory", _("Statutory body")),
]


class Provider(models.Model):
    """A provider in the market register. Imported from the regulator's list (keyed by its CQC
    provider ID, so a re-import never duplicates it) or signed up by the provider itself, which
    then keeps it current through its organisation's account."""

    class Status(models.TextChoices):
        LISTED = "listed", _("On the register")
        PENDING = "pending", _("Waiting for approval")
        DECLINED = "declined", _("Not approved")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        REGULATOR = "regulator", _("Regulator's list")
        SELF = "self", _("Provider's own account")
        COMMISSIONER = "commissioner", _("Added by a commissioner")

    name = models.CharField(_("name"), max_length=255)
    organisation = models.OneToOneField(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_provider",
        verbose_name=_("organisation account"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LISTED
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    sector = models.CharField(
        _("sector"),
        max_length=16,
        blank=True,
        choices=[
            ("public", _("Public sector")),
            ("private", _("Private sector")),
            ("third", _("Third sector")),
        ],
    )
    legal_form = models.CharField(_("legal form"), max_length=32, blank=True, choices=LEGAL_FORMS)
    income_band = models.CharField(
        _("annual income"), max_length=16, blank=True, choices=INCOME_BANDS
    )
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    cqc_provider_id = models.CharField(
        _("CQC provider ID"), max_length=20, null=True, blank=True, unique=True
    )
    ciw_provider_id = models.CharField(_("CIW provider ID"), max_length=20, blank=True)
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    regulator_sector = models.CharField(max_length=100, blank=True)  # as the regulator words it
    # A sign-up by a provider already on the register from the regulator's list: approving it
    # gives that record to the provider's account instead of listing the provider twice.
    claim_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.LISTED


class Location(models.Model):
    """A place where a provider runs services: a regulated location (CQC location ID) or an
    office or venue a provider names itself."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=255)
    also_known_as = models.CharField(_("also known as"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(49.0), MaxValueValidator(61.0)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-9.0), MaxValueValidator(2.5)],
    )
    area = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local authority"),
    )
    local_authority_name = models.CharField(max_length=100, blank=True)  # as the file gave it
    cqc_location_id = models.CharField(
        _("CQC location ID"), max_length=20, null=True, blank=True, unique=True
    )
    ciw_location_id = models.CharField(_("CIW service ID"), max_length=20, blank=True)
    rating = models.CharField(_("latest rating"), max_length=24, blank=True, choices=Rating.choices)
    rating_date = models.DateField(_("date of the rating"), null=True, blank=True)
    user_bands = models.JSONField(_("people it is registered for"), default=list, blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    last_import = models.ForeignKey(
        "MarketImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Service(models.Model):
    """One kind of service a provider runs, at a location or across the areas it serves, with
    its capacity in the service type's unit. Capacity, unit cost and workforce figures are seen
    only by commissioners and the provider itself."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("location"),
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="services", verbose_name=_("type")
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    client_groups = models.ManyToManyField(
        "core.ClientGroup", blank=True, related_name="+", verbose_name=_("client groups")
    )
    areas_served = models.ManyToManyField(
        "core.Area", blank=True, related_name="+", verbose_name=_("areas served")
    )
    capacity = models.DecimalField(
        _("capacity"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit_cost = models.DecimalField(
        _("unit cost (£)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding = models.JSONField(_("how it is funded"), default=list, blank=True)
    self_funder_share = models.PositiveSmallIntegerField(
        _("self-funders' share (per cent)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    languages = models.JSONField(_("languages offered"), default=list, blank=True)
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    vacancies = models.PositiveIntegerField(_("vacancies"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider__name", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "service_type"],
                condition=Q(location__isnull=False),
                name="service_one_per_type_at_a_location",
            ),
            models.CheckConstraint(
                condition=Q(self_funder_share__lte=100) | Q(self_funder_share__isnull=True),
                name="service_self_funder_share_range",
            ),
        ]
        indexes = [models.Index(fields=["service_type", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def capacity_unit_label(self) -> str:
        return str(CapacityUnit(self.service_type.capacity_unit).label)


class MarketImport(models.Model):
    """One import of a regulator's list or a providers file: what it found and did, or why it
    was refused (then nothing from it was written)."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for its columns to be matched")
        IMPORTING = "importing", _("Importing")
        READY = "ready", _("Imported")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=500)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    layout = models.CharField(_("file layout"), max_length=100, blank=True)
    layout_phrase = models.JSONField(default=dict, blank=True)
    header = models.JSONField(default=list, blank=True)  # generic files: the columns found
    mapping = models.JSONField(default=dict, blank=True)  # generic files: our field -> column
    stored_name = models.CharField(max_length=300, blank=True)  # the upload, until imported
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IMPORTING
    )
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    problem = models.TextField(_("problem"), blank=True)
    problem_phrase = models.JSONField(default=dict, blank=True)
    locations_created = models.PositiveIntegerField(default=0)
    locations_updated = models.PositiveIntegerField(default=0)
    locations_unchanged = models.PositiveIntegerField(default=0)
    locations_closed = models.PositiveIntegerField(default=0)
    providers_created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # locations with no service type we analyse
    unplaced = models.JSONField(default=list, blank=True)  # local authority names not recognised
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("market import")
        verbose_name_plural = _("market imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="market_import_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def problem_text(self) -> str:
        if self.problem_phrase:
            return Phrase.from_json(self.problem_phrase).render(gettext)
        return self.problem

    @property
    def layout_text(self) -> str:
        if self.layout_phrase:
            return Phrase.from_json(self.layout_phrase).render(gettext)
        return self.layout


# ---------------------------------------------------------------------------------------------
# The register of approved providers


class AccreditationScheme(models.Model):
    """A scheme a commissioning body or umbrella body runs: prove these criteria once, with
    this evidence, and be accredited for `validity_months`."""

    owner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("accreditation lasts (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind holders this many days before expiry"), default=60
    )
    is_open = models.BooleanField(_("open to applications"), default=True)
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("accreditation scheme")
        verbose_name_plural = _("accreditation schemes")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """What a scheme asks a provider to show. `topic` names the question family it answers in
    a procurement (governance, financial viability, safeguarding…), which is what passporting
    matches on."""

    class Topic(models.TextChoices):
        GOVERNANCE = "governance", _("Governance")
        FINANCIAL_VIABILITY = "financial_viability", _("Financial viability")
        SAFEGUARDING = "safeguarding", _("Safeguarding")
        INSURANCE = "insurance", _("Insurance")
        HEALTH_AND_SAFETY = "health_and_safety", _("Health and safety")
        EQUALITY = "equality", _("Equality and diversity")
        DATA_PROTECTION = "data_protection", _("Data protection")
        QUALITY_ASSURANCE = "quality_assurance", _("Quality assurance")
        OTHER = "other", _("Other")

    scheme = models.ForeignKey(
        AccreditationScheme, on_delete=models.CASCADE, related_name="criteria"
    )
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    title = models.CharField(_("criterion"), max_length=200)
    evidence_required = models.TextField(_("evidence needed"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """A provider's application to a scheme: evidence against each criterion, then an
    assessor's finding on each and a decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    scheme = models.ForeignKey(
        AccreditationScheme, on_delete=models.PROTECT, related_name="applications"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_notes = models.TextField(_("reasons for the decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application for accreditation")
        verbose_name_plural = _("applications for accreditation")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "provider"],
                condition=Q(status__in=["draft", "submitted"]),
                name="application_one_open_per_scheme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.scheme}"


class EvidenceDocument(models.Model):
    """A file a provider uploaded as evidence, kept outside the web root and served only to
    the provider and the scheme's assessors."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["criterion__position", "uploaded_at"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.original_name


class CriterionFinding(models.Model):
    """An assessor's finding on one criterion of an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    is_met = models.BooleanField(_("met"))
    notes = models.TextField(_("notes"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="finding_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'met' if self.is_met else 'not met'}"


class Accreditation(models.Model):
    """A provider's accreditation under a scheme, from an approved application, valid until
    `expires_on` unless revoked."""

    scheme = models.ForeignKey(
        AccreditationScheme, on_delete=models.PROTECT, related_name="accreditations"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="accreditations")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="accreditation"
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="accreditation_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.scheme}"

    def is_valid_on(self, day: date) -> bool:
        return self.revoked_at is None and self.issued_on <= day < self.expires_on


class SchemeRecognition(models.Model):
    """A commissioning body's decision to accept a scheme's accreditation as evidence in its
    own procurements: passporting."""

    commissioning_body = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        AccreditationScheme, on_delete=models.PROTECT, related_name="recognitions"
    )
    recognised_on = models.DateField(_("recognised on"), default=date.today)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField(_("no longer recognised from"), null=True, blank=True)

    class Meta:
        verbose_name = _("recognised scheme")
        verbose_name_plural = _("recognised schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["commissioning_body", "scheme"],
                condition=Q(ended_on__isnull=True),
                name="scheme_recognised_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioning_body}: {self.scheme}"


class MarketAnalysis(PublishedRecord):
    """A commissioner's analysis of the market for a client group in a set of areas, set
    against need (from a needs assessment where there is one) with a threshold the commissioner
    sets and explains; published as the market position statement providers plan by."""

    class Basis(models.TextChoices):
        BENCHMARK = "benchmark", _("the average of the areas analysed")
        TARGET = "target", _("a target per 1,000 people that I set")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    PUBLIC = frozenset({Status.PUBLISHED})
    # Its next version copies its areas and service types and works its figures out afresh.
    COPIED_TO_NEXT_VERSION = ()
    RESET_IN_NEXT_VERSION = ("figures",)
    KEPT_WITH_ITS_VERSION: ClassVar[dict[str, str]] = {
        "needs_assessment": "It was set against this version of the assessment.",
    }

    title = models.CharField(_("title"), max_length=200)
    client_group = models.ForeignKey("core.ClientGroup", on_delete=models.PROTECT, related_name="+")
    areas = models.ManyToManyField("core.Area", related_name="+", verbose_name=_("areas"))
    needs_assessment = models.ForeignKey(
        "needs.NeedsAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("needs assessment"),
    )
    population_dataset = models.ForeignKey(
        "needs.PopulationDataset", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    age_from = models.PositiveSmallIntegerField(
        _("relevant population aged from"), validators=[MaxValueValidator(90)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("to"), null=True, blank=True, validators=[MaxValueValidator(90)]
    )
    need_condition = models.ForeignKey(
        "needs.PrevalenceSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("need measured as projected cases of"),
    )
    service_types = models.ManyToManyField(
        ServiceType, related_name="+", verbose_name=_("service types")
    )
    basis = models.CharField(
        _("compare supply with"), max_length=16, choices=Basis.choices, default=Basis.BENCHMARK
    )
    targets = models.JSONField(_("targets per 1,000 people"), default=dict, blank=True)
    under_below = models.DecimalField(
        _("under-supplied below (per cent of the comparison)"),
        max_digits=5,
        decimal_places=1,
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    over_above = models.DecimalField(
        _("over-supplied above (per cent of the comparison)"),
        max_digits=5,
        decimal_places=1,
        default=110,
        validators=[MinValueValidator(100), MaxValueValidator(1000)],
    )
    threshold_explanation = models.TextField(_("why these thresholds"))
    summary = models.TextField(_("summary for providers"), blank=True)
    intentions = models.TextField(_("commissioning intentions"), blank=True)
    message_to_providers = models.TextField(_("what we want from providers"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The figures as published (supply against need, demand, map, mix, concentration, ratings,
    # funding), in codes rather than labels: every published view reads these, never the
    # register, so a statement providers plan by cannot move. None while a draft.
    figures = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("market analysis")
        verbose_name_plural = _("market analyses")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_to__isnull=True) | Q(age_to__gte=models.F("age_from")),
                name="market_analysis_age_range",
            ),
            models.CheckConstraint(
                condition=Q(over_above__gte=100) & Q(under_below__lte=100),
                name="market_analysis_threshold_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.is_public
