"""What waits for people in needs analysis: population imports that failed, and what a
commissioner can start."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.core.access import Role, is_signed_in, roles_by_organisation
from commissioning.core.imports import failed_since_last_success
from commissioning.core.work_items import Start, Urgency, WorkItem, register_queue, register_starts
from commissioning.needs.models import PopulationDataset


def _failed_imports(person: Any) -> list[WorkItem]:
    """The person's population imports that failed since their last one that worked."""
    if not is_signed_in(person) or getattr(person, "pk", None) is None:
        return []
    failed = failed_since_last_success(
        PopulationDataset.objects.filter(imported_by=person),
        ready=PopulationDataset.Status.READY,
        failed=PopulationDataset.Status.FAILED,
    )
    return [
        WorkItem(
            title=_("The import of %(file)s failed") % {"file": dataset.file_name},
            count=1,
            url=reverse("needs:dataset_detail", args=[dataset.pk]),
            urgency=Urgency.OVERDUE,
        )
        for dataset in failed[:5]
    ]


def _starts(person: Any) -> list[Start]:
    if not any(Role.COMMISSIONER in roles for roles in roles_by_organisation(person).values()):
        return []
    return [
        Start(
            _("Start a needs assessment"),
            reverse("needs:assessment_create"),
            _("Population projections and prevalence for your areas and client groups."),
        )
    ]


def register() -> None:
    register_queue("needs.failed_imports", waiting_for=_failed_imports)
    register_starts("needs", _starts)
