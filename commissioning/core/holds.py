"""Holds: what keeps a record from moving to its next stage, asked of the apps built on it.

A lower app moves its records through stages (a plan goes for approval, then is published),
yet what should stop a move can live in a higher app: a plan cannot be sent for approval while
a consultation on it is still open, and that consultation belongs to engagement. The lower app
asks `holds_on(kind, obj, to_status)` before a move; each higher app registers, from its
`AppConfig.ready`, a function giving the holds it knows of:

    register_hold("plan", "engagement.consultations", consultation_holds)

A hold says what is wrong in the reader's language and where to put it right. The moving app
decides what a hold means: a plan refuses the move unless a person with the right role records
why it goes ahead anyway, and keeps that reason in its history.

Lives in core because any app may both move records and hold others'; it knows no app."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hold:
    """One reason a record should not move yet: `code` names the kind ("consultation_open"),
    `message` says what is wrong, `url` where to put it right (empty when nowhere)."""

    code: str
    message: str
    url: str = ""


HoldFunction = Callable[[Any, str], Iterable[Hold]]

_HOLDS: dict[str, dict[str, HoldFunction]] = {}


def register_hold(kind: str, key: str, holds: HoldFunction) -> None:
    """`holds(obj, to_status)`: the holds on moving `obj` (a record of `kind`) to `to_status`,
    none when it may move. `key` is unique for the kind, by convention "<app>.<what>"."""
    on_kind = _HOLDS.setdefault(kind, {})
    if key in on_kind:
        raise RuntimeError(f"The holds {key!r} on {kind} are already registered.")
    on_kind[key] = holds


def holds_on(kind: str, obj: Any, to_status: str) -> list[Hold]:
    """Every registered hold on moving `obj` to `to_status`, in the order they were
    registered."""
    return [hold for holds in _HOLDS.get(kind, {}).values() for hold in holds(obj, to_status)]


__all__ = ["Hold", "holds_on", "register_hold"]
