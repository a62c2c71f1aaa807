"""The market's forms take plain text: a description, summary or criterion holds no markup."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commissioning.kit.text import has_markup


def refuse_markup(value: str, field_label: str) -> None:
    if has_markup(value):
        raise ValidationError(
            _("%(field)s is plain text: remove the HTML tags (anything written between < and >)."),
            code="markup",
            params={"field": field_label},
        )
