"""The vocabulary the decisions are written in: a case (one URL or API operation and who gets
what from it) and the expectations shared by every app's decisions."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.authz.world import COUNCIL_MEMBERS, World

Expectation = Callable[[str], int]

COUNCIL_ADMINS = {"council_admin"}


def everyone(status: int = 200) -> Expectation:
    return lambda actor: status


def signed_in(status: int = 200, anonymous: int = 302) -> Expectation:
    return lambda actor: anonymous if actor == "anonymous" else status


def only(
    allowed: set[str],
    status: int = 200,
    denied: int = 403,
    anonymous: int = 302,
    platform_admin: bool = True,
) -> Expectation:
    """`allowed` (and platform administrators, unless told otherwise) get `status`."""
    permitted = allowed | ({"platform_admin"} if platform_admin else set())

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return anonymous
        return status if actor in permitted else denied

    return expect


@dataclass
class Case:
    key: str  # URL name ("core:account") or API operation ("GET /api/v1/me")
    method: str
    expect: Expectation
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    is_write: bool = False
    query: str = ""
    label: str = ""
    notes: str = field(default="")
    anonymous_may_write: bool = False  # a write anyone may make, signing up for one

    @property
    def id(self) -> str:
        key = self.key if self.key.startswith(self.method) else f"{self.method} {self.key}"
        return key + (f" {self.label}" if self.label else "")


def drafts_changed_by_commissioners(status: int) -> Expectation:
    """Council people see the draft (403 without the commissioner role); others never learn
    it exists (404)."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return 302
        if actor in {"commissioner", "platform_admin"}:
            return status
        return 403 if actor in COUNCIL_MEMBERS else 404

    return expect


def pk_of(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": world.objects[name].pk}


def drafts_of_the_council(status: int) -> Expectation:
    """Council people see the council's draft; others never learn it exists."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return 404
        return status if actor in COUNCIL_MEMBERS | {"platform_admin"} else 404

    return expect


def api(method: str, path: str, expect: Expectation, **kwargs: Any) -> Case:
    return Case(f"{method} /api/v1{path}", method, expect, **kwargs)


API_SIGNED_IN = signed_in(anonymous=401)
