"""Every write to engagement: access-checked, validated, audited, in one transaction.

One module a room: planning groups and declared interests (`groups`), consultations built and
published (`consultations`), what they are about (`documents`), answering them
(`responses`), "you said, we did" and the closed consultation on the record
(`you_said_we_did`), the engagement record (`record`) and subscriptions (`subscriptions`).
Everything is importable from here, as before. Subscribers are emailed after the change
commits, by a task."""

from commissioning.engagement.services.consultations import (
    MOST_CHOICES,
    change_closing_date,
    move_question,
    publish_consultation,
    remove_question,
    save_consultation,
    save_question,
    stakeholder_groups_for,
)
from commissioning.engagement.services.documents import (
    attach_document,
    document_file,
    freeze_consultation_draft,
    max_document_bytes,
    remove_document,
)
from commissioning.engagement.services.groups import (
    add_member,
    declare_interest,
    end_declaration,
    remove_member,
    save_group,
    save_meeting,
)
from commissioning.engagement.services.record import remove_activity, save_activity
from commissioning.engagement.services.responses import (
    LONGEST_ANSWER,
    RATE_SCOPE,
    submit_response,
)
from commissioning.engagement.services.subscriptions import (
    confirm_address_subscription,
    request_address_subscription,
    subscribe,
    unsubscribe,
    unsubscribe_by_token,
)
from commissioning.engagement.services.you_said_we_did import (
    publish_response,
    record_consultation_activity,
)
from commissioning.engagement.tokens import CONFIRMATION_DAYS, SUBSCRIPTION_SALT, unsubscribe_token

__all__ = [
    "CONFIRMATION_DAYS",
    "LONGEST_ANSWER",
    "MOST_CHOICES",
    "RATE_SCOPE",
    "SUBSCRIPTION_SALT",
    "add_member",
    "attach_document",
    "change_closing_date",
    "confirm_address_subscription",
    "declare_interest",
    "document_file",
    "end_declaration",
    "freeze_consultation_draft",
    "max_document_bytes",
    "move_question",
    "publish_consultation",
    "publish_response",
    "record_consultation_activity",
    "remove_activity",
    "remove_document",
    "remove_member",
    "remove_question",
    "request_address_subscription",
    "save_activity",
    "save_consultation",
    "save_group",
    "save_meeting",
    "save_question",
    "stakeholder_groups_for",
    "submit_response",
    "subscribe",
    "unsubscribe",
    "unsubscribe_by_token",
    "unsubscribe_token",
]
