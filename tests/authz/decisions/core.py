"""Decisions for accounts, organisations, memberships and partnerships."""

from typing import Any

from tests.authz.decisions.cases import (
    API_SIGNED_IN,
    COUNCIL_ADMINS,
    Case,
    api,
    everyone,
    only,
    pk_of,
    signed_in,
)
from tests.authz.world import COUNCIL_MEMBERS, World


def council_pk(world: World) -> dict[str, Any]:
    return {"pk": world.organisations["council"].pk}


PAGE_CASES = [
    Case(
        "core:sign_in",
        "GET",
        signed_in(302, anonymous=200),
        notes="signed-in people are sent to their dashboard",
    ),
    Case("core:sign_out", "POST", everyone(302)),
    Case("core:password_reset", "GET", everyone()),
    Case("core:password_reset_sent", "GET", everyone()),
    Case(
        "core:password_reset_confirm",
        "GET",
        everyone(400),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Case("core:password_reset_complete", "GET", everyone()),
    Case(
        "core:sign_up_confirm",
        "GET",
        everyone(),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
        notes="asks to confirm; only the POST checks the link",
    ),
    Case(
        "core:sign_up_confirm",
        "POST",
        everyone(400),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
        is_write=True,
        anonymous_may_write=True,
        notes="the emailed link is the credential; a wrong one changes nothing",
    ),
    Case("core:account", "GET", signed_in()),
    Case(
        "core:api_token_create",
        "POST",
        signed_in(),
        data=lambda w: {"name": "Board report"},
        is_write=True,
    ),
    Case(
        "core:api_token_revoke",
        "POST",
        only({"commissioner"}, status=302, denied=404, platform_admin=False),
        kwargs=lambda w: {"pk": w.objects["commissioner_token"].pk},
        is_write=True,
        notes="a token belongs to one person; nobody else may learn it exists",
    ),
    Case(
        "core:invitation_accept",
        "POST",
        only({"outsider"}, status=302, denied=404, platform_admin=False),
        kwargs=pk_of("invitation"),
        is_write=True,
        notes="an invitation is answered by the invited person alone; nobody else learns of it",
    ),
    Case(
        "core:invitation_decline",
        "POST",
        only({"outsider"}, status=302, denied=404, platform_admin=False),
        kwargs=pk_of("invitation"),
        is_write=True,
    ),
    Case("core:organisation_list", "GET", everyone()),
    Case(
        "core:organisation_detail",
        "GET",
        everyone(),
        kwargs=council_pk,
        notes="the register entry is public; its people and roles are not",
    ),
    Case("core:member_add", "GET", only(COUNCIL_ADMINS), kwargs=council_pk),
    Case(
        "core:member_add",
        "POST",
        only(COUNCIL_ADMINS, status=302),
        kwargs=council_pk,
        data=lambda w: {
            "full_name": "Ffion Evans",
            "email": "ffion@tenant.example",
            "role": "commissioner",
        },
        is_write=True,
    ),
    Case(
        "core:member_remove",
        "GET",
        only(COUNCIL_ADMINS),
        kwargs=lambda w: {
            "pk": w.organisations["council"].pk,
            "membership_pk": w.objects["evaluator_membership"].pk,
        },
    ),
    Case(
        "core:member_remove",
        "POST",
        only(COUNCIL_ADMINS, status=302),
        kwargs=lambda w: {
            "pk": w.organisations["council"].pk,
            "membership_pk": w.objects["evaluator_membership"].pk,
        },
        data=lambda w: {"reason": "Left the council"},
        is_write=True,
    ),
    Case("core:organisation_audit", "GET", only(COUNCIL_ADMINS), kwargs=council_pk),
    Case(
        "core:partnership_detail",
        "GET",
        only(COUNCIL_MEMBERS, denied=404),
        kwargs=lambda w: {"pk": w.objects["partnership"].pk},
    ),
]

API_CASES = [
    api("GET", "/me", API_SIGNED_IN),
    api("GET", "/organisations", everyone()),
    api(
        "GET",
        "/organisations/{organisation_id}",
        everyone(),
        kwargs=lambda w: {"organisation_id": w.organisations["council"].pk},
    ),
    api(
        "GET",
        "/organisations/{organisation_id}/members",
        only(COUNCIL_MEMBERS, anonymous=401),
        kwargs=lambda w: {"organisation_id": w.organisations["council"].pk},
    ),
    api(
        "POST",
        "/organisations/{organisation_id}/members",
        only(COUNCIL_ADMINS, status=202, anonymous=401),
        kwargs=lambda w: {"organisation_id": w.organisations["council"].pk},
        data=lambda w: {
            "email": "ffion@tenant.example",
            "full_name": "Ffion Evans",
            "role": "commissioner",
        },
        is_write=True,
    ),
    api(
        "DELETE",
        "/organisations/{organisation_id}/members/{membership_id}",
        only(COUNCIL_ADMINS, status=204, anonymous=401),
        kwargs=lambda w: {
            "organisation_id": w.organisations["council"].pk,
            "membership_id": w.objects["evaluator_membership"].pk,
        },
        is_write=True,
    ),
    api("GET", "/partnerships", API_SIGNED_IN),
    api(
        "GET",
        "/partnerships/{partnership_id}",
        only(COUNCIL_MEMBERS, denied=404, anonymous=401),
        kwargs=lambda w: {"partnership_id": w.objects["partnership"].pk},
    ),
    api("GET", "/areas", everyone(), query="level=region"),
    api("GET", "/client-groups", everyone()),
    api(
        "POST",
        "/client-groups",
        only(set(), status=201, anonymous=401),
        data=lambda w: {"slug": "homeless-people", "name": "People who are homeless"},
        is_write=True,
    ),
    api(
        "PATCH",
        "/client-groups/{group_id}",
        only(set(), anonymous=401),
        kwargs=lambda w: {"group_id": w.objects["client_group"].pk},
        data=lambda w: {"description": "Edited"},
        is_write=True,
    ),
    api("GET", "/cycle-models", everyone()),
    api("GET", "/audit-events", API_SIGNED_IN),
]
