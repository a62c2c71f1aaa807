"""Population data for the needs analysis: datasets imported from ONS files, each holding one
packed series of single-year-of-age counts per area, year and sex."""

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import PublishedRecord
from commissioning.core.phrases import Phrase
from commissioning.needs import series


class PopulationDataset(models.Model):
    class Kind(models.TextChoices):
        ESTIMATE = "estimate", _("Mid-year estimate")
        PROJECTION = "projection", _("Projection")

    class Status(models.TextChoices):
        IMPORTING = "importing", _("Importing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    source = models.CharField(_("source"), max_length=500)
    licence = models.CharField(_("licence"), max_length=200)
    file_name = models.CharField(_("file"), max_length=255)
    layout = models.CharField(_("file layout"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IMPORTING
    )
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    problem = models.TextField(_("problem"), blank=True)  # in English, for the record
    # The problem and layout as phrases (`core.phrases`), shown in the reader's language.
    problem_phrase = models.JSONField(default=dict, blank=True)
    layout_phrase = models.JSONField(default=dict, blank=True)
    area_count = models.PositiveIntegerField(default=0)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    cell_count = models.PositiveIntegerField(_("counts imported"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("population dataset")
        verbose_name_plural = _("population datasets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="population_dataset_progress_range"
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


class PopulationSeries(models.Model):
    dataset = models.ForeignKey(PopulationDataset, on_delete=models.CASCADE, related_name="series")
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sex = models.PositiveSmallIntegerField(choices=[(1, _("Male")), (2, _("Female"))])
    counts = models.BinaryField(help_text="91 little-endian uint32 counts, ages 0..89 and 90+")
    total = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("population series")
        verbose_name_plural = _("population series")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "area", "year", "sex"], name="population_series_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=[1, 2]), name="population_series_sex"
            ),
        ]
        indexes = [models.Index(fields=["dataset", "year"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} {self.get_sex_display()}"

    def ages(self) -> np.ndarray:
        return series.unpack(self.counts)


class PrevalenceSet(models.Model):
    """Published prevalence rates for one condition, by age band and sex, with their source.
    The source is shown wherever the numbers are used."""

    condition = models.CharField(_("condition"), max_length=200)
    condition_cy = models.CharField(_("condition in Welsh"), max_length=200, blank=True)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    source = models.TextField(_("source and citation"))
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["condition"]
        verbose_name = _("prevalence rate set")
        verbose_name_plural = _("prevalence rate sets")

    def __str__(self) -> str:
        return self.condition


class PrevalenceRate(models.Model):
    prevalence_set = models.ForeignKey(
        PrevalenceSet, on_delete=models.CASCADE, related_name="rates"
    )
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for an open band such as 90+"
    )
    sex = models.PositiveSmallIntegerField(
        choices=[(0, _("Everyone")), (1, _("Male")), (2, _("Female"))]
    )
    rate = models.FloatField()
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["prevalence_set", "age_from", "sex"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=1), name="prevalence_rate_range"
            ),
            models.UniqueConstraint(
                fields=["prevalence_set", "age_from", "sex"], name="prevalence_rate_band_unique"
            ),
        ]

    def __str__(self) -> str:
        band = f"{self.age_from}+" if self.age_to is None else f"{self.age_from}-{self.age_to}"
        return f"{self.prevalence_set} {band} {self.get_sex_display()}: {self.rate}"


class NeedsAssessment(PublishedRecord):
    """A named, versioned population needs assessment. It pins the population dataset and the
    prevalence sets it uses (both immutable once imported), so a published assessment shows the
    same numbers forever. Changing a published assessment means starting its next version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    PUBLIC = frozenset({Status.PUBLISHED})
    # Its next version copies the areas and prevalence sets it pins; nothing else hangs from it.
    COPIED_TO_NEXT_VERSION = ()

    title = models.CharField(_("title"), max_length=200)
    client_group = models.ForeignKey(
        "core.ClientGroup",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("client group"),
    )
    areas = models.ManyToManyField("core.Area", related_name="+", verbose_name=_("areas"))
    population_dataset = models.ForeignKey(
        PopulationDataset,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("population dataset"),
    )
    prevalence_sets = models.ManyToManyField(
        PrevalenceSet, related_name="assessments", verbose_name=_("prevalence rate sets")
    )
    base_year = models.PositiveSmallIntegerField(_("base year"))
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"))
    findings = models.TextField(_("findings"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(horizon_year__gte=models.F("base_year")),
                name="needs_assessment_horizon_after_base",
                violation_error_message=_("The horizon must be the base year or later."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.is_public
