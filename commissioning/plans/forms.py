from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Role
from commissioning.core.forms import PlainTextForm
from commissioning.market import selectors as market_selectors
from commissioning.needs import selectors as needs_selectors
from commissioning.plans import selectors
from commissioning.plans.models import (
    CommissioningIntention,
    CommissioningPlan,
    Indicator,
    PlanSection,
    SignOff,
    financial_year,
)

YEAR_CHOICES_SPAN = range(2015, 2046)


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.localised_name} ({obj.code})"


class LocalisedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.localised_name)


class LocalisedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.localised_name)


def _year_choices() -> list[tuple[int, str]]:
    return [(year, financial_year(year)) for year in YEAR_CHOICES_SPAN]


class PlanForm(PlainTextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Lead commissioner"), queryset=core_selectors.areas().none()
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership (for a joint plan)"),
        queryset=core_selectors.areas().none(),
        required=False,
        help_text=_("A joint plan is led by the partnership's lead commissioner."),
    )
    client_groups = LocalisedMultipleChoiceField(
        label=_("Client groups"),
        queryset=core_selectors.client_groups(),
        widget=forms.CheckboxSelectMultiple,
    )
    areas = AreaChoiceField(
        label=_("Areas"), queryset=core_selectors.areas(level="local_authority")
    )
    first_year = forms.TypedChoiceField(
        label=_("First financial year"), coerce=int, choices=_year_choices
    )
    last_year = forms.TypedChoiceField(
        label=_("Last financial year"),
        coerce=int,
        choices=_year_choices,
        help_text=_("Plans normally cover three to five years and are refreshed every year."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences on what the plan is for. Plain text."),
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = core_selectors.organisations_with_role(person, Role.COMMISSIONER)
        cast(
            forms.ModelChoiceField, self.fields["partnership"]
        ).queryset = core_selectors.partnerships_visible_to(person, with_members=False)
        this_year = timezone.localdate().year
        self.fields["first_year"].initial = this_year
        self.fields["last_year"].initial = this_year + 3


class ScopeForm(PlainTextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    client_groups = LocalisedMultipleChoiceField(
        label=_("Client groups"),
        queryset=core_selectors.client_groups(),
        widget=forms.CheckboxSelectMultiple,
    )
    areas = AreaChoiceField(
        label=_("Areas"), queryset=core_selectors.areas(level="local_authority")
    )
    first_year = forms.TypedChoiceField(
        label=_("First financial year"), coerce=int, choices=_year_choices
    )
    last_year = forms.TypedChoiceField(
        label=_("Last financial year"), coerce=int, choices=_year_choices
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (
            "scope_documents",
            "scope_citizens",
            "scope_commitments",
            "scope_services",
            "scope_timetable",
            "scope_citizen_involvement",
            "scope_stakeholder_involvement",
            "scope_team",
        ):
            self.fields[name] = forms.CharField(
                label=CommissioningPlan._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class EvidenceForm(PlainTextForm):
    needs_assessment = forms.ModelChoiceField(
        label=_("Needs assessment"),
        queryset=core_selectors.areas().none(),
        required=False,
        help_text=_("Its figures and charts appear in the plan's needs assessment section."),
    )
    market_analysis = forms.ModelChoiceField(
        label=_("Market analysis"),
        queryset=core_selectors.areas().none(),
        required=False,
        help_text=_("Its figures, map and charts appear in the plan's service review section."),
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["needs_assessment"]
        ).queryset = needs_selectors.assessments_visible_to(person)
        cast(
            forms.ModelChoiceField, self.fields["market_analysis"]
        ).queryset = market_selectors.analyses_visible_to(person)


class SectionForm(PlainTextForm):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Write in Markdown: ## for a heading, * for a bullet, **bold**, and [text](address) "
            "for a link. HTML is not accepted."
        ),
    )


SECTION_PROMPTS: dict[str, list[Any]] = {
    PlanSection.Kind.INTRODUCTION: [
        _("The purpose of the plan, and shared values and vision."),
        _("A brief picture of the service area, its priorities and the outcomes sought."),
        _("How the plan was developed and how it links with other key planning documents."),
    ],
    PlanSection.Kind.GUIDANCE: [
        _("An overview of the population concerned."),
        _("The main messages from research, national guidance and good practice."),
    ],
    PlanSection.Kind.NEEDS: [
        _("The size and nature of the needs the plan addresses."),
        _("Findings from local research and consultation with people and carers."),
        _("How the outcomes sought differ from the outcomes people experience now."),
    ],
    PlanSection.Kind.SERVICE_REVIEW: [
        _("Existing services and their use, the wider market, and gaps in availability."),
        _("Under- or over-supply, service performance, and contract and grant arrangements."),
        _("The financial resources available now and over the plan's period."),
    ],
    PlanSection.Kind.GAP_ANALYSIS: [
        _("The shape of future services and the strategic priorities to get there."),
        _("The options appraised, with their risks."),
        _("Key commissioning objectives, their rationale and resource implications."),
    ],
    PlanSection.Kind.DEVELOPMENT: [
        _("How the changes will be put into practice through procurement and service development."),
        _("How the market will be managed: contracting, partnership and grant-making."),
    ],
    PlanSection.Kind.MONITORING: [
        _("How the plan and the services and contracts will be monitored."),
    ],
    PlanSection.Kind.APPENDICES: [
        _(
            "Results of consultation, key performance indicators, a glossary, research and "
            "guidance, and the action plan."
        ),
    ],
}


class OutcomeForm(PlainTextForm):
    framework_outcome = forms.ChoiceField(
        label=_("From an outcome framework"),
        required=False,
        help_text=_("Or leave this empty and write a local outcome below."),
    )
    title = forms.CharField(
        label=_("Outcome"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the framework's wording."),
    )
    description = forms.CharField(
        label=_("What it means here"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", _("A local outcome"))]
        for framework in selectors.outcome_frameworks():
            choices.append(
                (
                    framework.localised_name,
                    [(str(o.pk), str(o)) for o in framework.outcomes.all()],
                )
            )
        cast(forms.ChoiceField, self.fields["framework_outcome"]).choices = choices

    def clean_framework_outcome(self) -> Any:
        value = self.cleaned_data["framework_outcome"]
        if not value:
            return None
        for framework in selectors.outcome_frameworks():
            for outcome in framework.outcomes.all():
                if str(outcome.pk) == value:
                    return outcome
        raise forms.ValidationError(_("Choose an outcome from the list."))


class IndicatorForm(PlainTextForm):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Indicator.Kind.choices, widget=forms.RadioSelect
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=60, required=False, help_text=_("For example %, people, hours.")
    )
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=2000, max_value=2100)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    target_year = forms.IntegerField(label=_("Target year"), min_value=2000, max_value=2100)
    trajectory = forms.CharField(
        label=_("Trajectory"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One year per line with the value aimed for, like 2027 = 80.5."),
    )
    data_source = forms.CharField(
        label=_("Data source"),
        max_length=300,
        help_text=_("Where the figures come from, for example a statutory return."),
    )

    def clean_trajectory(self) -> dict[int, Decimal]:
        steps: dict[int, Decimal] = {}
        for number, line in enumerate(self.cleaned_data["trajectory"].splitlines(), start=1):
            if not line.strip():
                continue
            year, _sep, value = line.partition("=")
            try:
                steps[int(year.strip())] = Decimal(value.strip())
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(
                    _("Line %(number)s: write a year, =, and a number, like 2027 = 80.5."),
                    params={"number": number},
                ) from None
        return steps


def trajectory_text(indicator: Indicator) -> str:
    return "\n".join(f"{year} = {value}" for year, value in indicator.trajectory_rows())


class IntentionForm(PlainTextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Intention"),
        choices=CommissioningIntention.Kind.choices,
        widget=forms.RadioSelect,
    )
    route = forms.ChoiceField(
        label=_("How it will be secured"),
        choices=CommissioningIntention.Route.choices,
        widget=forms.RadioSelect,
    )
    service_type = LocalisedChoiceField(
        label=_("Service type"), queryset=market_selectors.service_types()
    )
    client_group = LocalisedChoiceField(
        label=_("Client group"), queryset=core_selectors.client_groups()
    )
    areas = AreaChoiceField(
        label=_("Areas"),
        queryset=core_selectors.areas().none(),
        widget=forms.CheckboxSelectMultiple,
    )
    current_budget = forms.DecimalField(
        label=_("Current annual budget (£)"), min_value=0, max_digits=14, decimal_places=2
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    risks = forms.CharField(
        label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    timetable = forms.CharField(
        label=_("Timetable"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_place_by = forms.DateField(
        label=_("In place by"),
        required=False,
        help_text=_("For example 2027-04-01."),
    )
    outcomes = forms.ModelMultipleChoiceField(
        label=_("Outcomes it serves"),
        queryset=core_selectors.areas().none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, plan: CommissioningPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["client_group"]
        ).queryset = plan.client_groups.all()
        cast(forms.ModelChoiceField, self.fields["areas"]).queryset = plan.areas.all()
        cast(forms.ModelChoiceField, self.fields["outcomes"]).queryset = plan.outcomes.all()
        self.years = plan.years
        for year in plan.years:
            self.fields[f"budget_{year}"] = forms.DecimalField(
                label=_("Planned budget %(year)s (£)") % {"year": financial_year(year)},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
            )

    def planned_budget(self) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"budget_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"budget_{year}") is not None
        }


class AppraisalForm(PlainTextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("What is being decided"), widget=forms.Textarea(attrs={"rows": 3})
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, at least two, for example: Keep in-house."),
    )
    scale_top = forms.IntegerField(
        label=_("Scores run from 0 to"), initial=10, min_value=1, max_value=100
    )

    def clean_options(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
        if len(names) < 2:
            raise forms.ValidationError(_("Name at least two options, one per line."))
        if len({name.casefold() for name in names}) != len(names):
            raise forms.ValidationError(_("Two options have the same name."))
        return names


class CriteriaForm(PlainTextForm):
    """The criteria and their weights, one per line: "Unit costs = 25"."""

    criteria = forms.CharField(
        label=_("Criteria and weights"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One criterion per line with its weight in per cent, like Unit costs = 25. "
            "The weights must add up to 100 before they are agreed."
        ),
    )

    def clean_criteria(self) -> list[dict[str, Any]]:
        entries = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, weight = line.rpartition("=")
            try:
                value = Decimal(weight.strip())
            except ArithmeticError:
                value = Decimal("NaN")
            if not name.strip() or not value.is_finite() or not 0 <= value <= 100:
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: write the criterion, =, and a weight from 0 to 100, "
                        "like Unit costs = 25."
                    ),
                    params={"number": number},
                )
            entries.append({"name": name.strip(), "weight": value})
        return entries


def criteria_text(appraisal: Any) -> str:
    return "\n".join(f"{c.name} = {c.weight.normalize():f}" for c in appraisal.criteria.all())


class AgreeWeightsForm(PlainTextForm):
    agreed_by = forms.CharField(
        label=_("Agreed by"),
        max_length=300,
        help_text=_("The people or the board that agreed the weights."),
    )
    agreed_on = forms.DateField(label=_("Agreed on"), help_text=_("For example 2026-06-01."))


class OptionForm(PlainTextForm):
    name = forms.CharField(label=_("Option"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(PlainTextForm):
    def __init__(self, *args: Any, appraisal: Any, option: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {score.criterion_id: score for score in option.scores.all()}
        self.criteria = list(appraisal.criteria.all())
        for criterion in self.criteria:
            existing = current.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=_("Score against %(criterion)s (0 to %(top)s)")
                % {"criterion": criterion.name, "top": appraisal.scale_top},
                min_value=0,
                max_value=appraisal.scale_top,
                max_digits=5,
                decimal_places=1,
                initial=existing.score if existing else None,
            )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=_("Why this score"),
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.rationale if existing else "",
            )

    def scores(self) -> dict[int, tuple[Decimal, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"rationale_{c.pk}"])
            for c in self.criteria
        }


class ConclusionForm(PlainTextForm):
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RiskForm(PlainTextForm):
    description = forms.CharField(label=_("Risk"), widget=forms.Textarea(attrs={"rows": 3}))
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 rare to 5 almost certain."),
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 negligible to 5 severe."),
    )
    owner = forms.CharField(label=_("Owner"), max_length=200)
    mitigation = forms.CharField(label=_("Mitigation"), widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(label=_("Review by"), help_text=_("For example 2027-03-31."))
    intention = forms.ModelChoiceField(
        label=_("Intention it threatens"), queryset=core_selectors.areas().none(), required=False
    )

    def __init__(self, *args: Any, plan: CommissioningPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["intention"]).queryset = plan.intentions.all()


class ResourceForm(PlainTextForm):
    funding_stream = forms.CharField(
        label=_("Funding stream"),
        max_length=200,
        help_text=_("For example Better Care Fund, or the council's core budget."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner contributing"),
        queryset=core_selectors.areas().none(),
        required=False,
        help_text=_("Leave empty for the lead commissioner."),
    )
    year = forms.TypedChoiceField(label=_("Financial year"), coerce=int)
    amount = forms.DecimalField(label=_("Amount (£)"), min_value=0, max_digits=14, decimal_places=2)
    is_pooled = forms.BooleanField(label=_("A contribution to the pooled fund"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args: Any, plan: CommissioningPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["partner"]
        ).queryset = core_selectors.organisations_with_pks(
            sorted(selectors.responsible_body_ids(plan))
        )
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [
            (year, financial_year(year)) for year in plan.years
        ]


class MoveForm(PlainTextForm):
    to_status = forms.ChoiceField(label=_("Move the plan to"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    why_set_aside = forms.CharField(
        label=_("Why the plan should move on regardless (only if something holds it back)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only a commissioner of the lead body can move a plan on while something holds it "
            "back. Your reason is kept in its history and shown to the councillor."
        ),
    )

    def __init__(
        self, *args: Any, moves: list[str], drafts: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (status, CommissioningPlan.Status(status).label) for status in moves
        ]
        if drafts:
            self.fields["publish_evidence"] = forms.BooleanField(
                label=_("When the plan is published, publish %(drafts)s too")
                % {"drafts": "; ".join(record.title for record in drafts)},
                required=False,
                help_text=_(
                    "The plan shows their figures and links to them: readers of a published "
                    "plan must be able to open them."
                ),
            )


class ReferBackForm(PlainTextForm):
    comments = forms.CharField(
        label=_("Your comments"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the commissioners should look at again. The plan goes back to drafting; they "
            "answer your comments before sending it to you again."
        ),
    )


class AnswerReferralForm(PlainTextForm):
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you changed, or why you did not. The councillor reads it."),
    )


class SignOffForm(PlainTextForm):
    kind = forms.ChoiceField(
        label=_("Approval"), choices=SignOff.Kind.choices, widget=forms.RadioSelect
    )
    board = forms.CharField(
        label=_("Board or committee"),
        max_length=200,
        required=False,
        help_text=_("For a board's decision: the board that made it."),
    )
    decided_on = forms.DateField(label=_("Decided on"), help_text=_("For example 2026-11-01."))
    reference = forms.CharField(
        label=_("Minute or decision reference"), max_length=100, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (kind, SignOff.Kind(kind).label) for kind in kinds
        ]


class ReasonForm(PlainTextForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
