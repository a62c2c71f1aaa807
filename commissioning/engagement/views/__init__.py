"""Engagement's pages, one module a room: the plan's engagement and its record (`record`),
planning groups (`groups`), declarations of interest (`interests`), consultations built and
run (`consultations`), their documents (`documents`), answering them and what is heard
(`responses`), and subscriptions (`subscriptions`). Every view is importable from here, as
`urls.py` names them."""

from commissioning.engagement.views.consultations import (
    consultation_closing_date,
    consultation_create,
    consultation_detail,
    consultation_edit,
    consultation_list,
    consultation_publish,
    question_change,
    question_edit,
)
from commissioning.engagement.views.documents import (
    document_attach,
    document_download,
    document_remove,
)
from commissioning.engagement.views.groups import (
    group_create,
    group_detail,
    group_edit,
    meeting_edit,
    member_add,
    member_remove,
)
from commissioning.engagement.views.interests import (
    declaration_create,
    declaration_end,
    register_of_interests,
)
from commissioning.engagement.views.record import activity_edit, activity_remove, plan_engagement
from commissioning.engagement.views.responses import (
    consultation_export,
    consultation_record,
    consultation_respond,
    consultation_response,
    consultation_results,
    text_answers,
)
from commissioning.engagement.views.subscriptions import (
    subscription_confirm,
    subscriptions,
    unsubscribe,
)

__all__ = [
    "activity_edit",
    "activity_remove",
    "consultation_closing_date",
    "consultation_create",
    "consultation_detail",
    "consultation_edit",
    "consultation_export",
    "consultation_list",
    "consultation_publish",
    "consultation_record",
    "consultation_respond",
    "consultation_response",
    "consultation_results",
    "declaration_create",
    "declaration_end",
    "document_attach",
    "document_download",
    "document_remove",
    "group_create",
    "group_detail",
    "group_edit",
    "meeting_edit",
    "member_add",
    "member_remove",
    "plan_engagement",
    "question_change",
    "question_edit",
    "register_of_interests",
    "subscription_confirm",
    "subscriptions",
    "text_answers",
    "unsubscribe",
]
