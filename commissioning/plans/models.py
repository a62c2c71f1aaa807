"""Commissioning plans: what a commissioning body (or a partnership) will commission for which
citizens over which years, and why. A plan scopes the work, sets strategic outcomes with
indicators, states commissioning intentions (each the parent of whatever procurement, grant or
in-house agreement follows), appraises its options, registers its risks and the resources it
can draw on, and is signed off before it is published. A published plan never changes: its
refresh is its next version."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commissioning.core.models import LocalisedNameMixin, PublishedRecord


class OutcomeFramework(LocalisedNameMixin):
    """A published set of outcomes that plans choose from (reference data, with its source)."""

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source address"), blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("outcome framework")
        verbose_name_plural = _("outcome frameworks")


class FrameworkOutcome(LocalisedNameMixin):
    framework = models.ForeignKey(
        OutcomeFramework, on_delete=models.CASCADE, related_name="outcomes"
    )
    code = models.CharField(_("code"), max_length=16)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("framework outcome")
        verbose_name_plural = _("framework outcomes")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_outcome_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localised_name}"


class CommissioningPlan(PublishedRecord):
    class Status(models.TextChoices):
        SCOPING = "scoping", _("Scoping")
        ANALYSIS = "analysis", _("Analysis")
        DRAFTING = "drafting", _("Drafting")
        CONSULTATION = "consultation", _("Consultation")
        APPROVAL = "approval", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        UNDER_REVIEW = "under_review", _("Under review")

    # The statuses in which the plan's content may still change.
    EDITABLE = frozenset({Status.SCOPING, Status.ANALYSIS, Status.DRAFTING, Status.CONSULTATION})
    PUBLIC = frozenset({Status.PUBLISHED, Status.UNDER_REVIEW})
    # Its next version starts as a copy of everything written in it, in this order (an
    # intention's outcomes and a risk's intention then point at the copies).
    COPIED_TO_NEXT_VERSION = (
        "sections",
        "outcomes",
        "outcomes__indicators",
        "intentions",
        "appraisals",
        "appraisals__criteria",
        "appraisals__options",
        "appraisals__options__scores",
        "risks",
        "resources",
    )
    KEPT_WITH_THIS_VERSION: ClassVar[dict[str, str]] = {
        "status_changes": "The stages this version went through; the next starts its own.",
        "sign_offs": "The approval of this version; the next is signed off afresh.",
    }
    KEPT_WITH_ITS_VERSION: ClassVar[dict[str, str]] = {
        "needs_assessment": "The plan rests on the version of the assessment it chose.",
        "market_analysis": "The plan rests on the version of the analysis it chose.",
    }

    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead commissioner"),
    )
    client_groups = models.ManyToManyField(
        "core.ClientGroup", related_name="+", verbose_name=_("client groups")
    )
    areas = models.ManyToManyField("core.Area", related_name="+", verbose_name=_("areas"))
    cycle_model = models.ForeignKey(
        "core.CycleModel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commissioning cycle"),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first financial year"), help_text=_("The year the plan starts: 2026 for 2026/27.")
    )
    last_year = models.PositiveSmallIntegerField(
        _("last financial year"), help_text=_("The plan's last year: 2029 for 2029/30.")
    )
    summary = models.TextField(_("summary"), blank=True)
    # The questions of scoping (Welsh Assembly Government commissioning guidance, part 2 §3).
    scope_documents = models.TextField(
        _("Whose plan is it, and what documents will be produced?"), blank=True
    )
    scope_citizens = models.TextField(
        _("Who are the citizens whose needs the plan is meant to meet?"), blank=True
    )
    scope_commitments = models.TextField(
        _("Which national requirements and local strategic commitments does it address?"),
        blank=True,
    )
    scope_services = models.TextField(
        _(
            "Which services does it consider (for example health, education, social care, "
            "housing, youth justice)?"
        ),
        blank=True,
    )
    scope_timetable = models.TextField(
        _("When must the plan be finished, and when put into effect?"), blank=True
    )
    scope_citizen_involvement = models.TextField(
        _("How will citizens, service users and carers be involved?"), blank=True
    )
    scope_stakeholder_involvement = models.TextField(
        _("How can other stakeholders, the third and private sectors among them, contribute?"),
        blank=True,
    )
    scope_team = models.TextField(
        _("Who will do the work, and how much time will they need?"), blank=True
    )
    needs_assessment = models.ForeignKey(
        "needs.NeedsAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("needs assessment"),
    )
    market_analysis = models.ForeignKey(
        "market.MarketAnalysis",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("market analysis"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCOPING
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("commissioning plan")
        verbose_name_plural = _("commissioning plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="plan_last_year_not_before_first",
                violation_error_message=_("The last year must be the first year or later."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "scoping",
                        "analysis",
                        "drafting",
                        "consultation",
                        "approval",
                        "published",
                        "under_review",
                    ]
                ),
                name="plan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def moves(self) -> tuple[str, ...]:
        """The stages this plan can move to from where it is."""
        return PLAN_MOVES.get(self.status, ())

    def may_move_to(self, status: str) -> bool:
        return status in self.moves()

    def enter(self, status: str) -> list[str]:
        """Put the plan in `status` (a move the caller has checked), stamping its publication;
        the fields to save."""
        self.status = status
        changed = ["status", "updated_at"]
        if status == self.Status.PUBLISHED:
            self.published_at = timezone.now()
            changed.append("published_at")
        return changed

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def period_label(self) -> str:
        return f"{financial_year(self.first_year)} – {financial_year(self.last_year)}"  # noqa: RUF001


_Status = CommissioningPlan.Status

# The moves a plan can make, forwards through the stages and back a step when work is undone.
PLAN_MOVES: dict[str, tuple[str, ...]] = {
    _Status.SCOPING: (_Status.ANALYSIS,),
    _Status.ANALYSIS: (_Status.DRAFTING, _Status.SCOPING),
    _Status.DRAFTING: (_Status.CONSULTATION, _Status.APPROVAL, _Status.ANALYSIS),
    _Status.CONSULTATION: (_Status.APPROVAL, _Status.DRAFTING),
    _Status.APPROVAL: (_Status.PUBLISHED, _Status.DRAFTING),
    _Status.PUBLISHED: (_Status.UNDER_REVIEW,),
    _Status.UNDER_REVIEW: (),
}


def financial_year(year: int) -> str:
    """2026 → "2026/27": public bodies plan in financial years starting in April."""
    return f"{year}/{(year + 1) % 100:02d}"


class PlanSection(models.Model):
    """One of the outline plan's sections (Appendix 1 of the guidance), written in Markdown."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction")
        GUIDANCE = "guidance", _("National and local guidance and research")
        NEEDS = "needs", _("Needs assessment")
        SERVICE_REVIEW = "service_review", _("Service review")
        GAP_ANALYSIS = "gap_analysis", _("Gap analysis and the design of future provision")
        DEVELOPMENT = (
            "development",
            _("Service development, procurement and market management plans"),
        )
        MONITORING = "monitoring", _("Monitoring arrangements")
        APPENDICES = "appendices", _("Appendices")

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("section"), max_length=32, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="plan_section_kind_unique")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class PlanOutcome(models.Model):
    """A strategic outcome the plan sets out to achieve: one of a framework's, or local."""

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="outcomes")
    framework_outcome = models.ForeignKey(
        FrameworkOutcome,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the framework"),
    )
    title = models.CharField(_("outcome"), max_length=300)
    description = models.TextField(_("what it means here"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("strategic outcome")
        verbose_name_plural = _("strategic outcomes")

    def __str__(self) -> str:
        return self.title

    @property
    def is_local(self) -> bool:
        return self.framework_outcome_id is None


class Indicator(models.Model):
    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome measure")
        OUTPUT = "output", _("Output measure")

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    # {"2027": "61.50", ...}: the value aimed for at the end of each year on the way.
    trajectory = models.JSONField(_("trajectory by year"), default=dict, blank=True)
    data_source = models.CharField(_("data source"), max_length=300)

    class Meta:
        ordering = ["outcome", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def trajectory_rows(self) -> list[tuple[int, Decimal]]:
        return sorted((int(year), Decimal(value)) for year, value in self.trajectory.items())


class CommissioningIntention(models.Model):
    """What the plan means to do about one service: the parent of the procurement exercise,
    grant round or in-house agreement that carries it out once the plan is published."""

    class Kind(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        INCREASE = "increase", _("Increase investment")
        DISINVEST = "disinvest", _("Disinvest or decommission")
        NEW = "new", _("Develop or procure new")
        RECONFIGURE = "reconfigure", _("Reconfigure")

    class Route(models.TextChoices):
        PROCUREMENT = "procurement", _("Procurement")
        GRANT = "grant", _("Grant")
        IN_HOUSE = "in_house", _("In-house agreement")
        NONE = "none", _("None needed")
        UNDECIDED = "undecided", _("Not decided yet")

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="intentions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("intention"), max_length=16, choices=Kind.choices)
    route = models.CharField(
        _("how it will be secured"), max_length=16, choices=Route.choices, default=Route.UNDECIDED
    )
    service_type = models.ForeignKey(
        "market.ServiceType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service type"),
    )
    client_group = models.ForeignKey(
        "core.ClientGroup",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("client group"),
    )
    areas = models.ManyToManyField("core.Area", related_name="+", verbose_name=_("areas"))
    current_budget = models.DecimalField(
        _("current annual budget (£)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    # {"2026": "120000.00", ...}: the planned budget in each of the plan's years.
    planned_budget = models.JSONField(_("planned budget by year"), default=dict, blank=True)
    rationale = models.TextField(_("rationale"))
    risks = models.TextField(_("risks"), blank=True)
    timetable = models.TextField(_("timetable"), blank=True)
    in_place_by = models.DateField(_("in place by"), null=True, blank=True)
    outcomes = models.ManyToManyField(
        PlanOutcome, blank=True, related_name="intentions", verbose_name=_("outcomes it serves")
    )
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("commissioning intention")
        verbose_name_plural = _("commissioning intentions")
        constraints = [
            models.CheckConstraint(
                condition=Q(current_budget__gte=0), name="intention_current_budget_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def budget_rows(self) -> list[tuple[int, Decimal]]:
        return sorted((int(year), Decimal(value)) for year, value in self.planned_budget.items())

    @property
    def is_published(self) -> bool:
        return self.plan.is_public


class OptionsAppraisal(models.Model):
    """A choice the plan has to make (make or buy, or any other), its options scored against
    criteria whose weights were agreed, and recorded as agreed, before any score was given."""

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="appraisals")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("what is being decided"))
    scale_top = models.PositiveSmallIntegerField(
        _("scores run from 0 to"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    weights_agreed_by = models.CharField(
        _("weights agreed by"),
        max_length=300,
        blank=True,
        help_text=_(
            "The people or the board that agreed the weights, for example a programme board."
        ),
    )
    weights_agreed_on = models.DateField(_("weights agreed on"), null=True, blank=True)
    weights_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", "created_at"]
        verbose_name = _("options appraisal")
        verbose_name_plural = _("options appraisals")

    def __str__(self) -> str:
        return self.title

    @property
    def weights_agreed(self) -> bool:
        return self.weights_agreed_on is not None


class AppraisalCriterion(models.Model):
    appraisal = models.ForeignKey(
        OptionsAppraisal, on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(max_length=64)
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what it covers"), blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["appraisal", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "key"], name="appraisal_criterion_key"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AppraisalOption(models.Model):
    appraisal = models.ForeignKey(
        OptionsAppraisal, on_delete=models.CASCADE, related_name="options"
    )
    name = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["appraisal", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "name"], name="appraisal_option_name")
        ]

    def __str__(self) -> str:
        return self.name


class OptionScore(models.Model):
    option = models.ForeignKey(AppraisalOption, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        AppraisalCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    rationale = models.TextField(_("why this score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion"], name="option_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.score}"


class Risk(models.Model):
    """A line of the plan's risk register, scored likelihood times impact on scales of 1 to 5."""

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    owner = models.CharField(_("owner"), max_length=200)
    mitigation = models.TextField(_("mitigation"))
    review_on = models.DateField(_("review by"))
    intention = models.ForeignKey(
        CommissioningIntention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_entries",
        verbose_name=_("intention it threatens"),
    )

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> str:
        """The usual bands of a 5 by 5 matrix: 1 to 4 low, 5 to 9 medium, 10 to 16 high, 20 to 25
        very high."""
        if self.score >= 20:
            return str(pgettext_lazy("risk", "Very high"))
        if self.score >= 10:
            return str(pgettext_lazy("risk", "High"))
        if self.score >= 5:
            return str(pgettext_lazy("risk", "Medium"))
        return str(pgettext_lazy("risk", "Low"))


class ResourceLine(models.Model):
    """Money the plan can draw on in one year from one funding stream (and partner)."""

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="resources")
    funding_stream = models.CharField(_("funding stream"), max_length=200)
    partner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner contributing"),
    )
    year = models.PositiveSmallIntegerField(_("financial year"))
    amount = models.DecimalField(
        _("amount (£)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_pooled = models.BooleanField(_("a contribution to a pooled fund"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "year", "funding_stream"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="resource_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.funding_stream} {financial_year(self.year)}"


class StatusChange(models.Model):
    plan = models.ForeignKey(
        CommissioningPlan, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=CommissioningPlan.Status.choices)
    to_status = models.CharField(max_length=16, choices=CommissioningPlan.Status.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    # What should have held the move back (an open consultation, say) and why a person with the
    # right role let it go ahead anyway: kept in the history the councillor reads.
    set_aside = models.JSONField(_("holds set aside"), default=list, blank=True)
    why_set_aside = models.TextField(_("why it went ahead"), blank=True)

    class Meta:
        ordering = ["plan", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class SignOff(models.Model):
    """The plan's approval: a councillor's (scrutiny role) sign-off, or a board's decision
    recorded by a commissioner."""

    class Kind(models.TextChoices):
        SCRUTINY = "scrutiny", _("Signed off by a councillor")
        BOARD = "board", _("Decision of a board")

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="sign_offs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    board = models.CharField(_("board or committee"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("minute or decision reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The sending for approval this decision answers: one sign-off each. Empty for sign-offs
    # recorded before it was kept.
    approval = models.OneToOneField(
        StatusChange, on_delete=models.CASCADE, null=True, blank=True, related_name="sign_off"
    )

    class Meta:
        ordering = ["plan", "recorded_at"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}"


class Referral(models.Model):
    """A councillor's referral of the plan back to its commissioners with comments, instead of
    signing it off, and the commissioners' answer. Referring back returns the plan to drafting;
    it is sent for approval again once the comments are answered."""

    KEPT_WITH_ITS_VERSION: ClassVar[dict[str, str]] = {
        "plan": "The councillors' comments on this version and the answers to them."
    }

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="referrals")
    # The sending for approval the referral answers.
    approval = models.ForeignKey(
        StatusChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comments = models.TextField(_("comments"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "referred_at", "pk"]
        verbose_name = _("referral back")
        verbose_name_plural = _("referrals back")

    def __str__(self) -> str:
        return f"{self.plan.title}: {self.comments[:60]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class PlanEvent(models.Model):
    """An audit event on the plan's trail: a change to the plan, to any part of it, or to what
    the apps built on it keep for it (its consultations, groups and record)."""

    KEPT_WITH_ITS_VERSION: ClassVar[dict[str, str]] = {
        "plan": "The audit events of this version; the next keeps its own."
    }

    plan = models.ForeignKey(CommissioningPlan, on_delete=models.CASCADE, related_name="trail")
    event = models.OneToOneField(
        "audit.AuditEvent", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["-event_id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.event_id}"
