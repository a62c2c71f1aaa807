"""Engagement: how service users, carers, citizens and providers take part in a commissioning
plan. Planning groups with their members, meetings and decisions (the declarations of interest
of the people on them are kept in core); consultations with their questionnaires, responses
and "you said, we did"; the record of every engagement activity (the evidence for standard 4);
and subscriptions to news of plans and consultations by client group and area."""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Declarations of interest live in core, where every app can read them; named here as before.
from commissioning.core.models import DeclarationOfInterest as DeclarationOfInterest


class StakeholderGroup(models.TextChoices):
    """Who a respondent or participant is: the categories of the engagement record too."""

    SERVICE_USER = "service_user", _("Someone who uses care and support services")
    CARER = "carer", _("A carer")
    CITIZEN = "citizen", _("A member of the public")
    PROVIDER_THIRD = "provider_third", _("A provider in the voluntary and community sector")
    PROVIDER_PRIVATE = "provider_private", _("A provider in the private sector")
    PROVIDER_PUBLIC = "provider_public", _("A provider in the public sector")


class Audience(models.TextChoices):
    PUBLIC = "public", _("The public")
    SERVICE_USERS_AND_CARERS = "service_users_and_carers", _("People who use services and carers")
    PROVIDERS = "providers", _("Providers")


# Which stakeholder groups each audience invites to answer.
GROUPS_FOR_AUDIENCE: dict[str, tuple[str, ...]] = {
    Audience.PUBLIC: (StakeholderGroup.CITIZEN,),
    Audience.SERVICE_USERS_AND_CARERS: (StakeholderGroup.SERVICE_USER, StakeholderGroup.CARER),
    Audience.PROVIDERS: (
        StakeholderGroup.PROVIDER_THIRD,
        StakeholderGroup.PROVIDER_PRIVATE,
        StakeholderGroup.PROVIDER_PUBLIC,
    ),
}


# --- groups -----------------------------------------------------------------------------------


class EngagementGroup(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME_BOARD = "programme_board", _("Programme board")
        JOINT_COMMISSIONING_GROUP = "joint_commissioning_group", _("Joint commissioning group")
        INTEREST_GROUP = "interest_group", _("Interest group")
        REFERENCE_GROUP = "reference_group", _("Reference group")

    KEPT_WITH_ITS_VERSION = {"plan": "The next version of the plan sets up its own groups."}

    plan = models.ForeignKey(
        "plans.CommissioningPlan", on_delete=models.CASCADE, related_name="engagement_groups"
    )
    kind = models.CharField(_("kind of group"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = _("planning group")
        verbose_name_plural = _("planning groups")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A person (signed up to the service) or an organisation on a group, with its role."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")
        ADVISER = "adviser", _("Adviser")
        OBSERVER = "observer", _("Observer")

    group = models.ForeignKey(EngagementGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the group"), max_length=16, choices=Role.choices)
    representing = models.CharField(_("representing"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["group", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="group_member_is_someone",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(organisation__isnull=True),
                name="group_member_is_one",
            ),
            models.UniqueConstraint(fields=["group", "person"], name="group_member_person_once"),
            models.UniqueConstraint(
                fields=["group", "organisation"], name="group_member_organisation_once"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name  # type: ignore[union-attr]
        return self.organisation.name  # type: ignore[union-attr]


class Meeting(models.Model):
    group = models.ForeignKey(EngagementGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date of the meeting"))
    attendees = models.ManyToManyField(
        GroupMember, blank=True, related_name="meetings", verbose_name=_("who attended")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["group", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on:%Y-%m-%d}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return self.text


# --- consultations ------------------------------------------------------------------------------


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    KEPT_WITH_ITS_VERSION = {"plan": "It consulted on this version of the plan."}

    plan = models.ForeignKey(
        "plans.CommissioningPlan", on_delete=models.CASCADE, related_name="consultations"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what the consultation is about"))
    audiences = models.JSONField(_("who it is for"), default=list)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    opening_notified_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("you said, we did"), blank=True)
    response_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_open(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    @property
    def has_closed(self) -> bool:
        return self.is_published and timezone.now() >= self.closes_at

    @property
    def stakeholder_groups(self) -> list[str]:
        return [g for a in self.audiences for g in GROUPS_FOR_AUDIENCE.get(a, ())]


class ConsultationDocument(models.Model):
    """What a consultation is about, for the reader to open from its page: the consultation
    draft (the plan as it stood when the consultation was published, frozen as its printed page,
    one for each language of the service, made a PDF when first asked for) and the documents the
    commissioners attach (a PDF, Word or OpenDocument file, an Easy Read version among them).
    Seen by whoever may see the consultation."""

    class Kind(models.TextChoices):
        CONSULTATION_DRAFT = "consultation_draft", _("Consultation draft")
        ATTACHMENT = "attachment", _("Attached document")

    class Language(models.TextChoices):
        ENGLISH_AND_WELSH = "", _("English and Welsh")
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.ATTACHMENT)
    title = models.CharField(_("title in English"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the document"), max_length=2, choices=Language.choices, blank=True
    )
    easy_read = models.BooleanField(_("an Easy Read version"), default=False)
    # The consultation draft's printed page as it was frozen; its PDF is made from it.
    frozen_html = models.TextField(blank=True, editable=False)
    file = models.FileField(upload_to="consultations/%Y/%m/", max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["consultation", "kind", "added_at", "pk"]
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "language"],
                condition=Q(kind="consultation_draft"),
                name="one_consultation_draft_a_language",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft_of_plan(self) -> bool:
        return self.kind == self.Kind.CONSULTATION_DRAFT

    def title_in(self, language: str) -> str:
        return self.title_cy if language == "cy" and self.title_cy else self.title

    @property
    def format_label(self) -> str:
        return {
            "application/pdf": "PDF",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
            "application/vnd.oasis.opendocument.text": "ODT",
        }.get(self.content_type, "PDF" if self.is_draft_of_plan else "")


class Question(models.Model):
    class Kind(models.TextChoices):
        FREE_TEXT = "free_text", _("Free text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        RATING = "rating", _("Rating scale (1 to 5)")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
    RATINGS = (1, 2, 3, 4, 5)

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of question"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    lowest_label = models.CharField(_("what 1 means"), max_length=100, blank=True)
    highest_label = models.CharField(_("what 5 means"), max_length=100, blank=True)

    class Meta:
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["consultation", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "person"], name="one_signed_in_response_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} #{self.pk}"


class Answer(models.Model):
    """One row a chosen option, a rating or a text: counts are a GROUP BY, even for a
    consultation with tens of thousands of responses."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice", "rating"])]

    def __str__(self) -> str:
        return f"{self.question}: {self.text or self.choice or self.rating}"


# --- the engagement record -------------------------------------------------------------------


class EngagementActivity(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        SURVEY = "survey", _("Survey")
        FOCUS_GROUP = "focus_group", _("Focus group")
        EVENT = "event", _("Event")
        BOARD_MEETING = "board_meeting", _("Board meeting")
        PROVIDER_FORUM = "provider_forum", _("Provider forum")

    PARTICIPANT_FIELDS = {
        StakeholderGroup.SERVICE_USER: "service_users",
        StakeholderGroup.CARER: "carers",
        StakeholderGroup.CITIZEN: "citizens",
        StakeholderGroup.PROVIDER_THIRD: "providers_third",
        StakeholderGroup.PROVIDER_PRIVATE: "providers_private",
        StakeholderGroup.PROVIDER_PUBLIC: "providers_public",
    }

    KEPT_WITH_ITS_VERSION = {"plan": "It shaped this version of the plan."}

    plan = models.ForeignKey(
        "plans.CommissioningPlan", on_delete=models.CASCADE, related_name="engagement_activities"
    )
    kind = models.CharField(_("kind of activity"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    cycle_stage = models.ForeignKey(
        "core.CycleStage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stage of the cycle"),
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("consultation"),
    )
    service_users = models.PositiveIntegerField(_("people who use services"), default=0)
    carers = models.PositiveIntegerField(_("carers"), default=0)
    citizens = models.PositiveIntegerField(_("members of the public"), default=0)
    providers_third = models.PositiveIntegerField(
        _("providers: voluntary and community sector"), default=0
    )
    providers_private = models.PositiveIntegerField(_("providers: private sector"), default=0)
    providers_public = models.PositiveIntegerField(_("providers: public sector"), default=0)
    seldom_heard_groups = models.TextField(_("seldom-heard groups who took part"), blank=True)
    what_changed = models.TextField(_("what changed as a result"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", "held_on", "pk"]
        verbose_name = _("engagement activity")
        verbose_name_plural = _("engagement activities")

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in self.PARTICIPANT_FIELDS.values())

    @property
    def seldom_heard(self) -> list[str]:
        return [line.strip() for line in self.seldom_heard_groups.splitlines() if line.strip()]


# --- staying informed ---------------------------------------------------------------------------


class Subscription(models.Model):
    """News by email of plans and consultations for some client groups and areas. A person
    signed in subscribes themselves, an organisation's administrator the organisation (its
    administrators and provider users get the emails), and anyone else by email address,
    confirmed through a link before anything is sent."""

    email = models.EmailField(_("email address"), blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    client_groups = models.ManyToManyField(
        "core.ClientGroup", blank=True, related_name="+", verbose_name=_("client groups")
    )
    areas = models.ManyToManyField(
        "core.Area", blank=True, related_name="+", verbose_name=_("areas")
    )
    language = models.CharField(max_length=8, default="en")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, organisation__isnull=True)
                    | Q(person__isnull=True, organisation__isnull=False)
                    | (Q(person__isnull=True, organisation__isnull=True) & ~Q(email=""))
                ),
                name="subscription_has_one_subscriber",
            ),
            models.UniqueConstraint(fields=["person"], name="one_subscription_a_person"),
            models.UniqueConstraint(
                fields=["organisation"], name="one_subscription_an_organisation"
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(person__isnull=True, organisation__isnull=True),
                name="one_subscription_an_address",
            ),
        ]

    def __str__(self) -> str:
        return self.email or str(self.person or self.organisation)
