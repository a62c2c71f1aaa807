import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Role
from commissioning.core.forms import PlainTextForm
from commissioning.market import cqc_formats, selectors
from commissioning.market.models import (
    INCOME_BANDS,
    LEGAL_FORMS,
    CapacityUnit,
    Criterion,
    Funding,
    MarketAnalysis,
)
from commissioning.needs import selectors as needs_selectors

CQC_ID = re.compile(r"1-[0-9]{1,15}")
SECTORS = [
    ("public", _("Public sector")),
    ("private", _("Private sector")),
    ("third", _("Third sector")),
]
LANGUAGES = [("en", _("English")), ("cy", _("Welsh")), ("bsl", _("British Sign Language"))]


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.localised_name} ({obj.code})"


class ServiceTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.localised_name} ({CapacityUnit(obj.capacity_unit).label})"


class ProviderSearchForm(PlainTextForm):
    searches = True
    q = forms.CharField(
        label=_("Name, postcode or CQC provider ID"), required=False, max_length=200
    )
    service_type = forms.ChoiceField(label=_("Service type"), required=False)
    area = forms.ChoiceField(label=_("Local authority"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any sector")), *SECTORS]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service_type"]).choices = [("", _("Any type"))] + [
            (t.slug, t.localised_name) for t in selectors.service_types()
        ]
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", _("Anywhere"))] + [
            (a.code, a.localised_name) for a in core_selectors.areas(level="local_authority")
        ]


class ProviderSignUpForm(PlainTextForm):
    organisation_name = forms.CharField(
        label=_("Organisation name"),
        max_length=255,
        error_messages={"required": _("Enter your organisation's name")},
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        choices=LEGAL_FORMS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your organisation's legal form")},
    )
    identifier = forms.CharField(
        label=_("Organisation identifier"),
        required=False,
        max_length=100,
        help_text=_(
            "Your charity number as GB-CHC-1087614, or your company number as GB-COH-01234567. "
            "An unincorporated group with neither can leave this blank."
        ),
    )
    income_band = forms.ChoiceField(
        label=_("Annual income"),
        choices=INCOME_BANDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your organisation's annual income")},
    )
    cqc_provider_id = forms.CharField(
        label=_("CQC provider ID (if you are registered with CQC)"),
        required=False,
        max_length=20,
        help_text=_("For example 1-101641001. Most community groups are not registered."),
    )
    description = forms.CharField(
        label=_("What your organisation does"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text: it is shown on the register as you write it."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    full_name = forms.CharField(
        label=_("Your full name"), max_length=200, error_messages={"required": _("Enter your name")}
    )
    email = forms.EmailField(
        label=_("Your email address"),
        error_messages={"required": _("Enter your email address")},
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters."),
        error_messages={"required": _("Choose a password")},
    )

    def clean_cqc_provider_id(self) -> str:
        value = self.cleaned_data["cqc_provider_id"].strip()
        if value and not CQC_ID.fullmatch(value):
            raise ValidationError(_("A CQC provider ID looks like 1-101641001."), code="cqc_id")
        return value


class ProviderDecisionForm(PlainTextForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: put it on the register")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve or decline")},
    )
    reason = forms.CharField(
        label=_("Reason (required when declining; the provider sees it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProviderProfileForm(PlainTextForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    sector = forms.ChoiceField(label=_("Sector"), choices=SECTORS, widget=forms.RadioSelect)
    income_band = forms.ChoiceField(
        label=_("Annual income"), choices=[("", _("Not known")), *INCOME_BANDS], required=False
    )
    staff = forms.IntegerField(label=_("Paid staff"), min_value=0, required=False)
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, required=False)
    description = forms.CharField(
        label=_("What your organisation does"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text: it is shown on the register as you write it."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    charity_number = forms.CharField(label=_("Charity number"), required=False, max_length=20)
    company_number = forms.CharField(label=_("Company number"), required=False, max_length=20)
    ciw_provider_id = forms.CharField(label=_("CIW provider ID"), required=False, max_length=20)


class ServiceForm(PlainTextForm):
    service_type = ServiceTypeChoiceField(
        label=_("Type of service"),
        queryset=selectors.service_types(),
        error_messages={"required": _("Choose the type of service")},
    )
    name = forms.CharField(
        label=_("Name of the service"),
        max_length=255,
        error_messages={"required": _("Enter the service's name")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text."),
    )
    client_groups = forms.ModelMultipleChoiceField(
        label=_("Who it is for"),
        queryset=core_selectors.client_groups(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas_served = AreaChoiceField(
        label=_("Local authorities it serves"),
        queryset=core_selectors.areas(level="local_authority"),
        required=False,
        help_text=_("For a service that goes to people rather than having them come to it."),
    )
    address = forms.CharField(label=_("Address (if it has a base)"), required=False, max_length=500)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    area = forms.ModelChoiceField(
        label=_("Local authority of the address"),
        queryset=core_selectors.areas(level="local_authority"),
        required=False,
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=49, max_value=61)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-9, max_value=2.5)
    capacity = forms.DecimalField(
        label=_("Capacity"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=1,
        help_text=_(
            "In the unit shown beside the type of service: beds, hours a week, places or people."
        ),
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost in pounds (seen only by commissioners of the areas served)"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
    )
    funding = forms.MultipleChoiceField(
        label=_("How it is funded"),
        choices=Funding.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    self_funder_share = forms.IntegerField(
        label=_("Self-funders' share (per cent)"), required=False, min_value=0, max_value=100
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the service is offered in"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff = forms.IntegerField(
        label=_("Staff (seen only by commissioners of the areas served)"),
        required=False,
        min_value=0,
    )
    vacancies = forms.IntegerField(
        label=_("Vacancies (seen only by commissioners of the areas served)"),
        required=False,
        min_value=0,
    )
    status = forms.ChoiceField(
        label=_("Is the service running?"),
        choices=[("open", _("Yes, it is open")), ("closed", _("No, it has closed"))],
        widget=forms.RadioSelect,
        initial="open",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("areas_served") is not None
            and not data.get("areas_served")
            and not (data.get("area"))
        ):
            raise ValidationError(
                _("Give the local authority of the service's address, or the areas it serves."),
                code="no_area",
            )
        return data


class ImportUploadForm(PlainTextForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CQC's care directory (CSV), its care directory with filters (XLSX or ODS), or your "
            "own CSV or XLSX of providers and services, whose columns you match next."
        ),
        error_messages={"required": _("Choose a file to upload")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Give the import a name")},
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        initial="Care Quality Commission, care directory",
        error_messages={"required": _("Say where the file comes from")},
    )
    licence = forms.CharField(
        label=_("Licence"), max_length=200, required=False, initial="Open Government Licence v3.0"
    )


def column_mapping_form(header: list[str], initial: dict[str, str]) -> type[forms.Form]:
    """A form with one choice of the file's columns for each field we can import."""
    choices = [("", _("Not in this file")), *[(c, c) for c in header]]
    fields: dict[str, forms.Field] = {}
    for name in cqc_formats.GENERIC_FIELDS:
        label = cqc_formats.GENERIC_LABELS.get(name)
        fields[name] = forms.ChoiceField(
            label=label.render(gettext) if label else name.replace("_", " ").capitalize(),
            choices=choices,
            required=name in cqc_formats.GENERIC_REQUIRED,
            initial=initial.get(name, ""),
            error_messages={"required": _("Choose the column that holds this")},
        )
    return type("ColumnMappingForm", (PlainTextForm,), fields)


class AnalysisForm(PlainTextForm):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    organisation = forms.ModelChoiceField(
        label=_("Commissioning body responsible"),
        queryset=core_selectors.public_organisations().none(),
        error_messages={"required": _("Choose the body responsible")},
    )
    needs_assessment = forms.ModelChoiceField(
        label=_("Needs assessment to set supply against (optional)"),
        queryset=needs_selectors.assessments_visible_to(None).none(),
        required=False,
        help_text=_("Its areas, client group and population data are used when you choose one."),
    )
    client_group = forms.ModelChoiceField(
        label=_("Client group"), queryset=core_selectors.client_groups(), required=False
    )
    areas = AreaChoiceField(
        label=_("Areas"),
        queryset=core_selectors.areas().none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    service_types = forms.ModelMultipleChoiceField(
        label=_("Service types"),
        queryset=selectors.service_types(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service type")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1990,
        max_value=2100,
        error_messages={"required": _("Enter the year")},
    )
    age_from = forms.IntegerField(
        label=_("Relevant population aged from"), min_value=0, max_value=90, initial=65
    )
    age_to = forms.IntegerField(
        label=_("to (leave blank for 'and over')"), min_value=0, max_value=90, required=False
    )
    need_condition = forms.ModelChoiceField(
        label=_("Also measure need as projected cases of (optional)"),
        queryset=needs_selectors.prevalence_sets(),
        required=False,
    )
    basis = forms.ChoiceField(
        label=_("Compare each area's supply per 1,000 people with"),
        choices=MarketAnalysis.Basis.choices,
        widget=forms.RadioSelect,
        initial=MarketAnalysis.Basis.BENCHMARK,
    )
    under_below = forms.DecimalField(
        label=_("Under-supplied below this per cent of the comparison"),
        initial=90,
        min_value=Decimal(1),
        max_value=Decimal(100),
        decimal_places=1,
    )
    over_above = forms.DecimalField(
        label=_("Over-supplied above this per cent of the comparison"),
        initial=110,
        min_value=Decimal(100),
        max_value=Decimal(1000),
        decimal_places=1,
    )
    targets = forms.CharField(
        label=_("Targets per 1,000 people (when comparing with targets)"),
        required=False,
        help_text=_("One per line, as service type code = number: care_home_nursing = 12.5"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    threshold_explanation = forms.CharField(
        label=_("Why these thresholds"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain the thresholds, so that readers can judge them")},
    )
    summary = forms.CharField(
        label=_("Summary for providers"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    intentions = forms.CharField(
        label=_("Commissioning intentions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message_to_providers = forms.CharField(
        label=_("What we want from providers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = core_selectors.organisations_with_role(person, Role.COMMISSIONER)
        cast(
            forms.ModelChoiceField, self.fields["needs_assessment"]
        ).queryset = needs_selectors.assessments_visible_to(person)
        cast(forms.ModelChoiceField, self.fields["areas"]).queryset = core_selectors.areas(
            level="local_authority"
        )

    def clean_targets(self) -> dict[str, float]:
        targets: dict[str, float] = {}
        slugs = {t.slug for t in selectors.service_types()}
        for number, line in enumerate(self.cleaned_data["targets"].splitlines(), start=1):
            if not line.strip():
                continue
            slug, _sep, value = line.partition("=")
            slug = slug.strip()
            try:
                amount = float(value)
            except ValueError:
                amount = -1
            if slug not in slugs or not amount > 0:
                raise ValidationError(
                    _("Line %(line)s: write a service type code, '=', and a number above 0."),
                    params={"line": number},
                    code="target",
                )
            targets[slug] = amount
        return targets

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("needs_assessment"):
            if not data.get("client_group"):
                self.add_error("client_group", _("Choose a client group, or a needs assessment"))
            if not data.get("areas"):
                self.add_error("areas", _("Choose at least one area, or a needs assessment"))
        if data.get("basis") == MarketAnalysis.Basis.TARGET:
            missing = [
                t.slug
                for t in data.get("service_types") or []
                if t.slug not in data.get("targets", {})
            ]
            if missing:
                self.add_error(
                    "targets",
                    _("Give a target for each service type chosen: %(missing)s")
                    % {"missing": ", ".join(missing)},
                )
        age_to = data.get("age_to")
        if age_to is not None and data.get("age_from") is not None and age_to < data["age_from"]:
            self.add_error("age_to", _("The upper age must be the lower age or more"))
        return data


class SchemeForm(PlainTextForm):
    owner = forms.ModelChoiceField(
        label=_("Run by"), queryset=core_selectors.public_organisations().none()
    )
    name = forms.CharField(label=_("Name of the scheme"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    validity_months = forms.IntegerField(
        label=_("Accreditation lasts (months)"), min_value=1, max_value=120, initial=36
    )
    reminder_days = forms.IntegerField(
        label=_("Remind holders this many days before expiry"),
        min_value=1,
        max_value=365,
        initial=60,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = organisations


class CriterionForm(PlainTextForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=Criterion.Topic.choices)
    title = forms.CharField(label=_("Criterion"), max_length=200)
    evidence_required = forms.CharField(
        label=_("Evidence needed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(PlainTextForm):
    criterion = forms.ChoiceField(label=_("Criterion this evidence is for"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT, PNG or JPEG, up to 10 MB."),
        error_messages={"required": _("Choose a file to upload")},
    )

    def __init__(self, *args: Any, criteria: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["criterion"]).choices = [
            (str(c.pk), c.title) for c in criteria
        ]


class FindingForm(PlainTextForm):
    is_met = forms.ChoiceField(
        label=_("Is the criterion met?"),
        choices=[("yes", _("Met")), ("no", _("Not met"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the criterion is met")},
    )
    notes = forms.CharField(
        label=_("Notes (required when not met)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApplicationDecisionForm(PlainTextForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and accredit")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision")},
    )
    notes = forms.CharField(
        label=_("Reasons (required when not approving; the provider sees them)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevokeForm(PlainTextForm):
    reason = forms.CharField(
        label=_("Reason (published on the register)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason")},
    )
