from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Role
from commissioning.core.forms import PlainTextForm
from commissioning.needs import selectors, services


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.localised_name} ({obj.code})"


class AssessmentForm(PlainTextForm):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    organisation = forms.ModelChoiceField(
        label=_("Commissioning body responsible"),
        queryset=core_selectors.public_organisations(),
        error_messages={
            "required": _("Choose the body responsible"),
            "invalid_choice": _("Choose one of the bodies listed"),
        },
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership (optional)"),
        required=False,
        queryset=core_selectors.public_organisations().none(),
        error_messages={"invalid_choice": _("Choose one of the partnerships listed")},
    )
    client_group = forms.ModelChoiceField(
        label=_("Client group"),
        queryset=core_selectors.client_groups(),
        error_messages={"required": _("Choose a client group")},
    )
    areas = AreaChoiceField(
        label=_("Areas"),
        queryset=core_selectors.areas().none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one area"),
            "invalid_choice": _("Choose areas from the list"),
        },
    )
    population_dataset = forms.ModelChoiceField(
        label=_("Population data"),
        queryset=selectors.ready_datasets(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the population data")},
    )
    prevalence_sets = forms.ModelMultipleChoiceField(
        label=_("Conditions to project"),
        queryset=selectors.prevalence_sets(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    base_year = forms.IntegerField(
        label=_("Base year"),
        min_value=1900,
        max_value=2200,
        error_messages={"required": _("Enter the base year")},
    )
    horizon_year = forms.IntegerField(
        label=_("Horizon year"),
        min_value=1900,
        max_value=2200,
        help_text=_(
            "The last year the assessment looks ahead to: usually 3 to 5 years, or longer."
        ),
        error_messages={"required": _("Enter the horizon year")},
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What the evidence shows and what it means for commissioning. You can use "
            "Markdown: **bold**, lists, headings."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dataset, horizon = data.get("population_dataset"), data.get("horizon_year")
        if dataset is not None and horizon is not None:
            refusal = services.horizon_refusal(dataset, horizon)
            if refusal:
                self.add_error("horizon_year", refusal)
        return data

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = core_selectors.organisations_with_role(
            person, Role.COMMISSIONER
        )
        fields["partnership"].queryset = core_selectors.partnerships_visible_to(
            person, with_members=False
        )
        fields["areas"].queryset = core_selectors.areas_of_partnerships(person)
        fields["population_dataset"].label_from_instance = _dataset_label
        fields["prevalence_sets"].label_from_instance = lambda obj: (
            f"{obj.condition} — {obj.source[:80]}"
        )


def _dataset_label(dataset: Any) -> str:
    """The dataset with the years it covers: the horizon may not pass its last."""
    if dataset.first_year is None:
        return str(dataset.name)
    return _("%(name)s (%(first)s to %(last)s)") % {
        "name": dataset.name,
        "first": dataset.first_year,
        "last": dataset.last_year,
    }


POPULATION_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")


class PopulationUploadForm(PlainTextForm):
    file = forms.FileField(
        label=_("Population file"),
        help_text=_(
            "A Nomis CSV or TSV, an ONS projections CSV with a column for each year, or "
            "an ONS mid-year estimates workbook (MYEB1)."
        ),
        error_messages={"required": _("Choose a file to upload")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example, ONS 2022-based projections for Wales"),
        error_messages={"required": _("Enter a name for the data")},
    )
    year = forms.IntegerField(
        label=_("Year of the counts (optional)"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=_(
            "Only for estimates files that have no year column, like Nomis downloads "
            "of a single year."
        ),
    )
    source = forms.CharField(
        label=_("Source"), max_length=500, initial="Office for National Statistics"
    )
    licence = forms.CharField(
        label=_("Licence"), max_length=200, initial="Open Government Licence v3.0"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(POPULATION_EXTENSIONS):
            raise forms.ValidationError(
                _("The file must be a CSV, TSV or XLSX file."), code="extension"
            )
        return upload


class PrevalenceUploadForm(PlainTextForm):
    file = forms.FileField(
        label=_("Prevalence rates file"),
        help_text=_(
            "CSV or XLSX with the columns age_band, sex, prevalence and, if published, "
            "lower_95 and upper_95."
        ),
        error_messages={"required": _("Choose a file to upload")},
    )
    condition = forms.CharField(
        label=_("Condition"), max_length=200, error_messages={"required": _("Enter the condition")}
    )
    condition_cy = forms.CharField(
        label=_("Condition in Welsh (optional)"), max_length=200, required=False
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=100,
        help_text=_(
            "Lower-case letters, numbers and hyphens, used in the API: for example "
            "depression-apms-2014"
        ),
        error_messages={
            "required": _("Enter a short name"),
            "invalid": _("Use only lower-case letters, numbers and hyphens"),
        },
    )
    source = forms.CharField(
        label=_("Published source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The publication the rates come from, with authors, title and year. Rates "
            "without a published source do not belong here."
        ),
        error_messages={"required": _("Enter the published source")},
    )


class AssessmentViewForm(PlainTextForm):
    """What a needs assessment's tables and charts are drawn for: all its areas together or
    one of them (POPPI's first view is all of them), and the year of the population pyramid.
    A GET form: the choice is in the page's address, to share and to bookmark."""

    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the assessment's areas")},
    )
    year = forms.TypedChoiceField(
        label=_("Year of the population pyramid"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the years the data holds")},
    )

    def __init__(self, *args: Any, areas: Any, years: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["area"].choices = [("", _("All areas together"))] + [
            (area.code, area.localised_name) for area in areas
        ]
        fields["year"].choices = [(str(year), str(year)) for year in years]

    @property
    def choice(self) -> dict[str, Any]:
        """The area code ("" for all) and pyramid year (None for the first) to draw; what was
        not understood falls back to the first view."""
        if not self.is_bound:
            return {"area_code": "", "pyramid_year": None}
        self.is_valid()
        return {
            "area_code": self.cleaned_data.get("area") or "",
            "pyramid_year": self.cleaned_data.get("year"),
        }
