from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import ROLES_FOR_KIND, DeclarationOfInterest, Organisation, Role
from commissioning.core.selectors import public_organisations
from commissioning.core.throttle import normalised_email
from commissioning.kit.text import clean_line, clean_text, has_markup


def _plain(to_python: Callable[[Any], Any], clean: Callable[[str], str]) -> Callable[[Any], Any]:
    def plain_to_python(value: Any) -> Any:
        return to_python(clean(value) if isinstance(value, str) else value)

    return plain_to_python


def refuse_tags_in_a_line(value: str) -> None:
    if has_markup(value):
        raise ValidationError(
            _(
                "Remove the HTML tags (anything written between < and >): a name or title is "
                "plain text."
            ),
            code="markup",
        )


class PlainTextMixin:
    """Every text a form takes in follows the one plain-text policy (`kit.text`): a box of
    several lines (a Textarea) keeps its line breaks and loses other control characters; every
    other text field is one line, and holds no HTML tags. Cleaned before the field's own checks,
    so that a value of nothing but control characters is a missing one. Passwords are left as
    typed; a search form, which stores nothing, sets `searches = True` to take any words."""

    fields: dict[str, forms.Field]
    searches = False

    def full_clean(self) -> None:
        # Here rather than in __init__: forms add fields (one a question) after theirs.
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and not getattr(field, "plain_text", False)
            ):
                multi_line = isinstance(field.widget, forms.Textarea)
                field.to_python = _plain(  # type: ignore[method-assign,assignment]
                    field.to_python, clean_text if multi_line else clean_line
                )
                if not multi_line and not self.searches:
                    field.validators.append(refuse_tags_in_a_line)
                field.plain_text = True  # type: ignore[attr-defined]
        super().full_clean()  # type: ignore[misc]


class PlainTextForm(PlainTextMixin, forms.Form):
    """The base of every form in the service."""


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The email address or password is not right. Check them and try again."),
        "inactive": _("This account has been closed. Ask your organisation's administrator."),
    }
    error_anchor = "id_username"

    def clean_username(self) -> str:
        # Authenticate, and count failures, with the address as it is stored, so that capitals
        # or spaces cannot give an account a second failure budget.
        return normalised_email(self.cleaned_data["username"])


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ChooseNewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("The two passwords do not match")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. Not a common password, and not only numbers."
        )
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")


class AddMemberForm(PlainTextForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the person's full name")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("If they are new to the service, we will email them a link to set a password."),
        error_messages={
            "required": _("Enter the person's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a role"),
            "invalid_choice": _("Select one of the roles listed"),
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLES_FOR_KIND.get(organisation.kind, frozenset())
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in Role if r in allowed]


class ApiTokenForm(PlainTextForm):
    name = forms.CharField(
        label=_("What will you use this token for?"),
        help_text=_("For example, “Monthly report to the partnership board”."),
        max_length=100,
        error_messages={"required": _("Enter what the token is for")},
    )


class RemoveMemberForm(PlainTextForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrganisationSearchForm(PlainTextForm):
    searches = True
    q = forms.CharField(label=_("Name or identifier"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )


class DeclarationForm(PlainTextForm):
    kind = forms.ChoiceField(
        label=_("Kind of interest"),
        choices=DeclarationOfInterest.Kind.choices,
        widget=forms.RadioSelect,
    )
    provider = forms.ModelChoiceField(
        label=_("Provider the interest is in (if any)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    description = forms.CharField(
        label=_("The interest"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: director of the provider; spouse works for it; shareholder."),
    )
    declared_on = forms.DateField(
        label=_("Declared on"), initial=timezone.localdate, help_text=_("For example 2026-06-01.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked when the form is made, once every app has said which organisations it holds back.
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ModelChoiceField)
        provider.queryset = public_organisations(kind=Organisation.Kind.PROVIDER)


class EndDeclarationForm(PlainTextForm):
    ended_on = forms.DateField(
        label=_("The interest ended on"),
        initial=timezone.localdate,
        help_text=_("For example 2026-06-01."),
    )


def form_status(form: Any) -> int:
    """A page that shows a refused form answers 400, so that tests and tools can tell."""
    return 400 if form.errors else 200


def apply_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field where there is one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
