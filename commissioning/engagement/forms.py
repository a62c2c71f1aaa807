from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core import selectors as core_selectors
from commissioning.core.forms import DeclarationForm as DeclarationForm
from commissioning.core.forms import EndDeclarationForm as EndDeclarationForm
from commissioning.core.forms import PlainTextForm
from commissioning.engagement.models import (
    Audience,
    ConsultationDocument,
    EngagementActivity,
    EngagementGroup,
    GroupMember,
    Question,
)
from commissioning.engagement.selectors import rating_label
from commissioning.kit.text import clean_text


class LocalisedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.localised_name)


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.localised_name} ({obj.code})"


def opening(day: date) -> datetime:
    """A consultation opens at the start of its first day and closes at the end of its last,
    in UK time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def closing(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)) - timedelta(
        minutes=1
    )


class GroupForm(PlainTextForm):
    kind = forms.ChoiceField(
        label=_("Kind of group"), choices=EngagementGroup.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Purpose, membership, quoracy, how decisions are made and how often it meets. "
            "Markdown: # for headings, * for lists."
        ),
    )


class MemberForm(PlainTextForm):
    email = forms.EmailField(
        label=_("Person's email address"),
        required=False,
        help_text=_(
            "The address they sign in with. They must work for one of the plan's bodies or for "
            "an organisation in this group. Leave blank to add an organisation."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Or an organisation"),
        queryset=core_selectors.public_organisations(),
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role in the group"), choices=GroupMember.Role.choices, widget=forms.RadioSelect
    )
    representing = forms.CharField(
        label=_("Representing (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: the carers' reference group, or the local Healthwatch."),
    )


class MeetingForm(PlainTextForm):
    held_on = forms.DateField(
        label=_("Date of the meeting"), help_text=_("For example 2026-06-01.")
    )
    attendees = forms.MultipleChoiceField(
        label=_("Who attended"), required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Markdown: # for headings, * for lists."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One decision a line."),
    )

    def __init__(self, *args: Any, members: list[GroupMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(m.pk), m.display_name) for m in members]  # type: ignore[attr-defined]


class ConsultationForm(PlainTextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("What the consultation is about"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What is proposed, what the answers will change, and how to get the questions in "
            "another format. Markdown: # for headings, * for lists."
        ),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Who it is for"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    opens_on = forms.DateField(label=_("Opens on"), help_text=_("For example 2026-06-01."))
    closes_on = forms.DateField(
        label=_("Closes on"),
        help_text=_(
            "It closes at 23:59 that day. Allow at least 12 weeks for a formal consultation."
        ),
    )


class QuestionForm(PlainTextForm):
    kind = forms.ChoiceField(
        label=_("Kind of question"), choices=Question.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Question"), max_length=500)
    help_text = forms.CharField(
        label=_("Help text (optional)"),
        max_length=500,
        required=False,
        help_text=_("Shown under the question, to explain it or say how to answer."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    choices = forms.CharField(
        label=_("Choices (for single and multiple choice)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One a line."),
    )
    lowest_label = forms.CharField(
        label=_("What 1 means (for a rating scale)"),
        max_length=100,
        required=False,
        help_text=_("For example: very poor."),
    )
    highest_label = forms.CharField(
        label=_("What 5 means (for a rating scale)"),
        max_length=100,
        required=False,
        help_text=_("For example: very good."),
    )


class ClosingDateForm(PlainTextForm):
    closes_on = forms.DateField(label=_("New closing date"), help_text=_("For example 2026-06-01."))
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResponseForm(PlainTextForm):
    """ "You said, we did"."""

    response = forms.CharField(
        label=_("You said, we did"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What people told you, and what the plan does as a result (or why not). Markdown: "
            "# for headings, * for lists."
        ),
    )


class AnswerForm(PlainTextForm):
    """The questionnaire a respondent fills in: built from its questions."""

    def __init__(
        self, *args: Any, questions: list[Question], groups: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["stakeholder_group"] = forms.ChoiceField(
            label=_("Which of these describes you best?"),
            choices=groups,
            widget=forms.RadioSelect,
            help_text=_("So that we can see what each group told us."),
        )
        for question in questions:
            name = f"question_{question.pk}"
            field: forms.Field
            if question.kind == Question.Kind.FREE_TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
            elif question.kind == Question.Kind.SINGLE_CHOICE:
                field = forms.ChoiceField(
                    choices=list(enumerate(question.choices)), widget=forms.RadioSelect
                )
            elif question.kind == Question.Kind.MULTIPLE_CHOICE:
                field = forms.MultipleChoiceField(
                    choices=list(enumerate(question.choices)),
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.ChoiceField(
                    choices=[(r, rating_label(question, r)) for r in Question.RATINGS],
                    widget=forms.RadioSelect,
                )
            field.required = False  # the service says which answers are missing
            field.help_text = question.help_text
            field.label = (
                question.text
                if question.required
                else _("%(question)s (optional)") % {"question": question.text}
            )
            self.fields[name] = field

    def answers(self) -> dict[int, Any]:
        """The answers as posted (the service checks them), written ones plain text as every
        form's text is."""
        answers = {}
        for question in self.questions:
            values = self.data.getlist(f"question_{question.pk}")  # type: ignore[attr-defined]
            if question.kind == Question.Kind.FREE_TEXT:
                values = [clean_text(value) for value in values]
            answers[question.pk] = values
        return answers


class ActivityForm(PlainTextForm):
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=EngagementActivity.Kind.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), help_text=_("For example 2026-06-01."))
    cycle_stage = forms.TypedChoiceField(
        label=_("Stage of the commissioning cycle"), coerce=int, required=False, empty_value=None
    )
    service_users = forms.IntegerField(label=_("People who use services"), min_value=0, initial=0)
    carers = forms.IntegerField(label=_("Carers"), min_value=0, initial=0)
    citizens = forms.IntegerField(label=_("Members of the public"), min_value=0, initial=0)
    providers_third = forms.IntegerField(
        label=_("Providers: voluntary and community sector"), min_value=0, initial=0
    )
    providers_private = forms.IntegerField(
        label=_("Providers: private sector"), min_value=0, initial=0
    )
    providers_public = forms.IntegerField(
        label=_("Providers: public sector"), min_value=0, initial=0
    )
    seldom_heard_groups = forms.CharField(
        label=_("Seldom-heard groups who took part"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One a line. For example: Gypsy and Traveller communities; young carers."),
    )
    what_changed = forms.CharField(
        label=_("What changed as a result"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Markdown: * for lists."),
    )

    def __init__(self, *args: Any, stages: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle_stage"].choices = [("", _("Not at a particular stage")), *stages]  # type: ignore[attr-defined]

    def participants(self) -> dict[str, int]:
        return {
            name: self.cleaned_data.get(name) or 0
            for name in EngagementActivity.PARTICIPANT_FIELDS.values()
        }


class SubscriptionForm(PlainTextForm):
    client_groups = LocalisedMultipleChoiceField(
        label=_("Client groups"),
        queryset=core_selectors.client_groups(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = AreaChoiceField(
        label=_("Areas"),
        queryset=core_selectors.areas(level="local_authority"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave the areas blank to hear of the client groups you chose everywhere."),
    )


class AddressSubscriptionForm(SubscriptionForm):
    email = forms.EmailField(label=_("Email address"))

    field_order = ["email", "client_groups", "areas"]


class DocumentForm(PlainTextForm):
    file = forms.FileField(
        label=_("Document"),
        error_messages={"required": _("Choose the document to attach")},
    )
    title = forms.CharField(
        label=_("Title in English"),
        max_length=200,
        help_text=_("Say what it is, for example: Easy Read version of the consultation"),
        error_messages={"required": _("Enter the document's title")},
    )
    title_cy = forms.CharField(label=_("Title in Welsh (optional)"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[
            ("en", ConsultationDocument.Language.ENGLISH.label),
            ("cy", ConsultationDocument.Language.WELSH.label),
            ("both", ConsultationDocument.Language.ENGLISH_AND_WELSH.label),
        ],
        widget=forms.RadioSelect,
        initial="en",
        error_messages={"required": _("Choose the document's language")},
    )
    easy_read = forms.BooleanField(
        label=_("This is an Easy Read version"),
        required=False,
        help_text=_("Short sentences and pictures, for people with a learning disability."),
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF, DOCX or ODT document, up to %(max_mb)s MB.") % {
            "max_mb": f"{max_bytes / 1024**2:.0f}"
        }

    def clean_language(self) -> str:
        language = str(self.cleaned_data["language"])
        return "" if language == "both" else language
