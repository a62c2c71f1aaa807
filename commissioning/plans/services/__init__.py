"""Every write to a commissioning plan: access-checked, validated, audited, in one transaction.

Content changes only while the plan is being scoped, analysed, drafted or consulted on. Once it
awaits approval it is frozen for sign-off, and once published it is frozen for good: its refresh
is the next version, a copy that starts in drafting.

One module per part of the plan; every name is importable from here as before."""

from commissioning.plans.selectors import current_sign_off, sent_for_approval
from commissioning.plans.services.appraisal import (
    add_option,
    agree_weights,
    conclude_appraisal,
    create_appraisal,
    remove_option,
    save_criteria,
    score_option,
)
from commissioning.plans.services.editing import frozen_message, refuse_markup
from commissioning.plans.services.governance import (
    MOVES,
    Status,
    answer_referral,
    drafts_to_publish_with,
    move_plan,
    refer_back,
    sign_off_plan,
)
from commissioning.plans.services.intentions import (
    remove_intention,
    require_published_intention,
    save_intention,
)
from commissioning.plans.services.outcomes import (
    remove_indicator,
    remove_outcome,
    save_indicator,
    save_outcome,
)
from commissioning.plans.services.plan import (
    SCOPE_FIELDS,
    create_plan,
    pin_evidence,
    save_section,
    update_scope,
)
from commissioning.plans.services.risks_and_resources import (
    remove_resource,
    remove_risk,
    save_resource,
    save_risk,
)
from commissioning.plans.services.versions import start_next_version

__all__ = [
    "MOVES",
    "SCOPE_FIELDS",
    "Status",
    "add_option",
    "agree_weights",
    "answer_referral",
    "conclude_appraisal",
    "create_appraisal",
    "create_plan",
    "current_sign_off",
    "drafts_to_publish_with",
    "frozen_message",
    "move_plan",
    "pin_evidence",
    "refer_back",
    "refuse_markup",
    "remove_indicator",
    "remove_intention",
    "remove_option",
    "remove_outcome",
    "remove_resource",
    "remove_risk",
    "require_published_intention",
    "save_criteria",
    "save_indicator",
    "save_intention",
    "save_outcome",
    "save_resource",
    "save_risk",
    "save_section",
    "score_option",
    "sent_for_approval",
    "sign_off_plan",
    "start_next_version",
    "update_scope",
]
