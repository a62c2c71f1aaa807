"""The plans' pages, one module per part of the plan; every view is importable from here."""

from commissioning.plans.views.appraisal import appraisal_create, appraisal_detail, option_score
from commissioning.plans.views.contents import (
    indicator_edit,
    intention_detail,
    intention_edit,
    outcome_edit,
    part_remove,
    plan_evidence,
    plan_scope,
    resource_edit,
    risk_edit,
    section_edit,
)
from commissioning.plans.views.governance import (
    plan_audit,
    plan_governance,
    plan_move,
    plan_next_version,
    plan_refer_back,
    plan_sign_off,
    referral_answer,
)
from commissioning.plans.views.plan import (
    plan_compare,
    plan_create,
    plan_detail,
    plan_document,
    plan_list,
)

__all__ = [
    "appraisal_create",
    "appraisal_detail",
    "indicator_edit",
    "intention_detail",
    "intention_edit",
    "option_score",
    "outcome_edit",
    "part_remove",
    "plan_audit",
    "plan_compare",
    "plan_create",
    "plan_detail",
    "plan_document",
    "plan_evidence",
    "plan_governance",
    "plan_list",
    "plan_move",
    "plan_next_version",
    "plan_refer_back",
    "plan_scope",
    "plan_sign_off",
    "referral_answer",
    "resource_edit",
    "risk_edit",
    "section_edit",
]
