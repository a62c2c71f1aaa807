"""Writes for the provider market, one room each: imports of the regulator's lists (`imports`;
reading and applying a file is `market.importing`'s), providers joining the register
(`register`) and keeping their own records (`records`), the register of approved providers
(`accreditation`, `passporting`), and market analyses (`analyses`).

Every name is importable from here, as it was when this was one module."""

from django.core.exceptions import PermissionDenied

from commissioning.market.importing import MarketImportError, Progress, run_market_import
from commissioning.market.services.accreditation import (
    add_evidence,
    create_scheme,
    decide_application,
    record_finding,
    remove_evidence,
    revoke_accreditation,
    save_criterion,
    send_expiry_reminders,
    start_application,
    submit_application,
)
from commissioning.market.services.analyses import (
    ANALYSIS_FIELDS,
    create_analysis,
    draft_assessment_of,
    freeze_published_figures,
    may_publish_with_its_assessment,
    publish_analysis,
    update_analysis,
)
from commissioning.market.services.imports import (
    import_market_file_now,
    match_columns,
    start_market_import,
    upload_market_file,
)
from commissioning.market.services.passporting import end_recognition, recognise_scheme
from commissioning.market.services.records import (
    LOCATION_FIELDS,
    PROVIDER_FIELDS,
    SERVICE_FIELDS,
    save_service,
    update_provider,
)
from commissioning.market.services.register import (
    decide_provider,
    register_provider,
    sign_up_provider,
)
from commissioning.market.services.text import refuse_markup

__all__ = [
    "ANALYSIS_FIELDS",
    "LOCATION_FIELDS",
    "PROVIDER_FIELDS",
    "SERVICE_FIELDS",
    "MarketImportError",
    "PermissionDenied",
    "Progress",
    "add_evidence",
    "create_analysis",
    "create_scheme",
    "decide_application",
    "decide_provider",
    "draft_assessment_of",
    "end_recognition",
    "freeze_published_figures",
    "import_market_file_now",
    "match_columns",
    "may_publish_with_its_assessment",
    "publish_analysis",
    "recognise_scheme",
    "record_finding",
    "refuse_markup",
    "register_provider",
    "remove_evidence",
    "revoke_accreditation",
    "run_market_import",
    "save_criterion",
    "save_service",
    "send_expiry_reminders",
    "sign_up_provider",
    "start_application",
    "start_market_import",
    "submit_application",
    "update_analysis",
    "update_provider",
    "upload_market_file",
]
