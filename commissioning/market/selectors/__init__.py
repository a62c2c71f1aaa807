"""Reads for the provider market, each scoped to what the person may see, one room each: the
provider register (`providers`), market analyses (`analyses`) and their tables (`results`), and
the register of approved providers (`accreditation`).

Every name is importable from here, as it was when this was one module."""

from commissioning.market.selectors.accreditation import (
    accreditation_for,
    accreditations_of,
    application_for,
    applications_of,
    applications_to_assess,
    evidence_for,
    passported_topics,
    recognitions_by,
    register_of_approved_providers,
    revoked_accreditations,
    scheme_by_pk,
    scheme_named,
    schemes,
    schemes_run_by,
)
from commissioning.market.selectors.analyses import (
    analyses_visible_to,
    analysis_figures,
    analysis_for,
    analysis_titled,
    map_points,
    published_analyses,
    supply,
)
from commissioning.market.selectors.providers import (
    import_for,
    imports_visible_to,
    locations_of,
    provider_for,
    provider_named,
    provider_of,
    providers_visible_to,
    providers_waiting,
    service_of,
    service_type_by_slug,
    service_types,
    services_of,
)
from commissioning.market.selectors.results import (
    AnalysisResults,
    analysis_results,
)

__all__ = [
    "AnalysisResults",
    "accreditation_for",
    "accreditations_of",
    "analyses_visible_to",
    "analysis_figures",
    "analysis_for",
    "analysis_results",
    "analysis_titled",
    "application_for",
    "applications_of",
    "applications_to_assess",
    "evidence_for",
    "import_for",
    "imports_visible_to",
    "locations_of",
    "map_points",
    "passported_topics",
    "provider_for",
    "provider_named",
    "provider_of",
    "providers_visible_to",
    "providers_waiting",
    "published_analyses",
    "recognitions_by",
    "register_of_approved_providers",
    "revoked_accreditations",
    "scheme_by_pk",
    "scheme_named",
    "schemes",
    "schemes_run_by",
    "service_of",
    "service_type_by_slug",
    "service_types",
    "services_of",
    "supply",
]
