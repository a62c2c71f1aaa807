"""Market analyses and position statements: drafting one (against a needs assessment's evidence,
or population data for its year), and publishing it with the figures it is published with kept."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import Action, acting_person, can, require
from commissioning.market import selectors as market_selectors
from commissioning.market.models import MarketAnalysis
from commissioning.market.services.text import refuse_markup
from commissioning.needs import selectors as needs_selectors
from commissioning.needs import services as needs_services

ANALYSIS_FIELDS = (
    "title",
    "organisation",
    "partnership",
    "client_group",
    "needs_assessment",
    "year",
    "age_from",
    "age_to",
    "need_condition",
    "basis",
    "targets",
    "under_below",
    "over_above",
    "threshold_explanation",
    "summary",
    "intentions",
    "message_to_providers",
)


def _analysis_snapshot(analysis: MarketAnalysis) -> dict[str, Any]:
    return {
        **_analysis_fields(analysis),
        "areas": sorted(analysis.areas.values_list("code", flat=True)),
        "service_types": sorted(analysis.service_types.values_list("slug", flat=True)),
    }


def _save_analysis(
    actor: Any,
    analysis: MarketAnalysis,
    *,
    areas: Iterable[Any],
    service_types: Iterable[Any],
    fields: dict[str, Any],
) -> MarketAnalysis:
    for name, value in fields.items():
        if name not in ANALYSIS_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(analysis, name, value)
    assessment = analysis.needs_assessment
    areas = list(areas)
    if assessment is not None:
        # Supply is set against the assessment's own evidence: its areas, group and data.
        analysis.client_group = assessment.client_group
        analysis.partnership = assessment.partnership
        analysis.population_dataset = assessment.population_dataset
        areas = list(assessment.areas.all())
    elif not analysis.population_dataset_id:
        dataset = needs_selectors.dataset_covering(year=analysis.year)
        if dataset is None:
            raise ValidationError(
                {
                    "year": _("There is no population data for %(year)s yet.")
                    % {"year": analysis.year}
                }
            )
        analysis.population_dataset = dataset
    for text, label in (
        (analysis.summary, _("The summary")),
        (analysis.intentions, _("The commissioning intentions")),
        (analysis.message_to_providers, _("What you want from providers")),
        (analysis.threshold_explanation, _("The explanation of the thresholds")),
    ):
        refuse_markup(text, label)
    analysis.full_clean(exclude=["population_dataset"] if analysis.population_dataset_id else None)
    analysis.save()
    analysis.areas.set(areas)
    analysis.service_types.set(list(service_types))
    return analysis


@transaction.atomic
def create_analysis(
    *, actor: Any, areas: Iterable[Any] = (), service_types: Iterable[Any], **fields: Any
) -> MarketAnalysis:
    analysis = MarketAnalysis(created_by=acting_person(actor))
    analysis.organisation = fields.get("organisation")  # type: ignore[assignment]
    require(actor, Action.CHANGE, analysis)
    analysis = _save_analysis(
        actor, analysis, areas=areas, service_types=service_types, fields=fields
    )
    record_event(
        actor=actor,
        verb="market_analysis.created",
        target=analysis,
        organisation=analysis.organisation,
        after=_analysis_snapshot(analysis),
    )
    return analysis


@transaction.atomic
def update_analysis(
    *,
    actor: Any,
    analysis: MarketAnalysis,
    areas: Iterable[Any] = (),
    service_types: Iterable[Any],
    **fields: Any,
) -> MarketAnalysis:
    analysis = MarketAnalysis.objects.select_for_update().get(pk=analysis.pk)
    require(actor, Action.CHANGE, analysis)
    before = _analysis_snapshot(analysis)
    analysis = _save_analysis(
        actor, analysis, areas=areas, service_types=service_types, fields=fields
    )
    require(actor, Action.CHANGE, analysis)  # still the person's own body's
    record_event(
        actor=actor,
        verb="market_analysis.updated",
        target=analysis,
        organisation=analysis.organisation,
        before=before,
        after=_analysis_snapshot(analysis),
    )
    return analysis


def draft_assessment_of(analysis: MarketAnalysis) -> Any:
    """The needs assessment the analysis rests on while it is still a draft, else None: a
    statement published on it would send its readers to a page they cannot open."""
    assessment = analysis.needs_assessment
    return assessment if assessment is not None and not assessment.is_published else None


def may_publish_with_its_assessment(actor: Any, analysis: MarketAnalysis) -> bool:
    """Whether the person may publish the draft assessment the analysis rests on with it."""
    assessment = draft_assessment_of(analysis)
    return assessment is not None and can(actor, Action.CHANGE, assessment)


@transaction.atomic
def publish_analysis(
    *, actor: Any, analysis: MarketAnalysis, with_assessment: bool = False
) -> MarketAnalysis:
    """Publish the analysis as the body's market position statement: public, and frozen.

    A statement resting on a draft needs assessment is refused (code "draft_assessment")
    unless `with_assessment` is set, when the assessment is published with it, by the same
    person and under the assessment's own rules: everything a public statement points at is
    public."""
    analysis = MarketAnalysis.objects.select_for_update().get(pk=analysis.pk)
    require(actor, Action.CHANGE, analysis)
    if not analysis.summary.strip():
        raise ValidationError(
            _("Write the summary for providers before publishing the market position statement."),
            code="summary",
        )
    assessment = draft_assessment_of(analysis)
    if assessment is not None:
        if not with_assessment:
            raise ValidationError(
                _(
                    "This statement rests on the needs assessment “%(title)s”, which is still "
                    "a draft: its readers could not open it. Publish the needs assessment with "
                    "the statement, or ask a commissioner of %(body)s to publish it first."
                )
                % {"title": assessment.title, "body": assessment.organisation.name},
                code="draft_assessment",
            )
        if not can(actor, Action.CHANGE, assessment):
            raise ValidationError(
                _(
                    "Only a commissioner of %(body)s can publish the needs assessment "
                    "“%(title)s”: ask one of them to publish it, then publish this statement."
                )
                % {"title": assessment.title, "body": assessment.organisation.name},
                code="draft_assessment",
            )
        try:
            needs_services.publish_assessment(actor=actor, assessment=assessment)
        except ValidationError as exc:
            raise ValidationError(
                _("The needs assessment “%(title)s” cannot be published yet: %(reason)s")
                % {"title": assessment.title, "reason": " ".join(exc.messages)},
                code="draft_assessment",
            ) from exc
    before = _analysis_fields(analysis)
    analysis.status = MarketAnalysis.Status.PUBLISHED
    analysis.published_at = timezone.now()
    # The statement keeps the figures it is published with: later changes to the register or
    # new population data never move what providers and plans read.
    analysis.figures = market_selectors.analysis_figures(analysis)
    analysis.save(update_fields=["status", "published_at", "figures"])
    record_event(
        actor=actor,
        verb="market_analysis.published",
        target=analysis,
        organisation=analysis.organisation,
        before=before,
        after=_analysis_fields(analysis),
    )
    return analysis


@transaction.atomic
def freeze_published_figures() -> int:
    """Keep the figures of every published analysis that has none kept (one published before
    figures were kept) as the register and population data give them now; how many. Run once
    after migrating (`MarketConfig` connects it to post_migrate): before then such a statement
    was recomputed on every reading, so now is the nearest to its publication still known."""
    frozen = 0
    for analysis in MarketAnalysis.objects.select_for_update().filter(
        status=MarketAnalysis.Status.PUBLISHED, figures__isnull=True
    ):
        analysis.figures = market_selectors.analysis_figures(analysis)
        analysis.save(update_fields=["figures"])
        record_event(
            actor=None,
            verb="market_analysis.figures_kept",
            target=analysis,
            organisation=analysis.organisation,
            after=_analysis_fields(analysis),
        )
        frozen += 1
    return frozen


def _analysis_fields(analysis: MarketAnalysis) -> dict[str, Any]:
    """An analysis for the audit trail: its fields, and its kept figures as a digest (they can
    run to megabytes for a region)."""
    fields = snapshot(analysis)
    figures = fields.pop("figures", None)
    if figures is not None:
        canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"))
        fields["figures_sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    return fields
