"""What is waiting for whom: the queues on people's dashboards and the emails that tell them.

An app registers its kinds of work from its `AppConfig.ready`, the way it registers its access
rules: for each kind, a function giving a person's items of that kind (a title, how many, where
to act and by when) and, for work that needs someone as soon as it arrives, who to tell and what
to say. It may also register what a person can start. The dashboard and the notice email loop
over whatever is registered, so a lower app never learns about a higher one.

The functions run on every dashboard view: each should be one or two scoped queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any


class Urgency(IntEnum):
    """In the order the dashboard lists them."""

    OVERDUE = 0
    DUE_SOON = 1
    WAITING = 2


@dataclass(frozen=True)
class WorkItem:
    title: str  # already in the reader's language, and naming the count: "2 plans to sign off"
    count: int
    url: str
    due: date | None = None
    urgency: Urgency = Urgency.WAITING


@dataclass(frozen=True)
class Start:
    """Something a person may begin: shown beside their queue, and instead of it when nothing
    is waiting."""

    title: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class Notice:
    """An email telling someone work is waiting: its subject and the page to act on."""

    subject: str
    path: str


WaitingFor = Callable[[Any], Iterable[WorkItem]]
Recipients = Callable[[int], Iterable[Any]]
Describe = Callable[[int], Notice | None]


@dataclass(frozen=True)
class Queue:
    key: str
    waiting_for: WaitingFor
    recipients: Recipients | None = None
    describe: Describe | None = None


_QUEUES: dict[str, Queue] = {}
_STARTS: dict[str, Callable[[Any], Iterable[Start]]] = {}


def register_queue(
    key: str,
    *,
    waiting_for: WaitingFor,
    recipients: Recipients | None = None,
    describe: Describe | None = None,
) -> None:
    """`waiting_for(person)`: the person's items of this kind (none when nothing waits).
    `recipients(pk)` and `describe(pk)`, for work that is announced by email: who must act on
    the record `pk` and what to tell them (`describe` runs in each recipient's language)."""
    if key in _QUEUES:
        raise RuntimeError(f"The work queue {key!r} is already registered.")
    if (recipients is None) != (describe is None):
        raise RuntimeError(f"The work queue {key!r} needs recipients and describe, or neither.")
    _QUEUES[key] = Queue(key, waiting_for, recipients, describe)


def register_starts(key: str, starts_for: Callable[[Any], Iterable[Start]]) -> None:
    if key in _STARTS:
        raise RuntimeError(f"The starts {key!r} are already registered.")
    _STARTS[key] = starts_for


def queue(key: str) -> Queue:
    try:
        return _QUEUES[key]
    except KeyError:
        raise LookupError(f"No work queue is registered as {key!r}.") from None


def waiting_for(person: Any) -> list[WorkItem]:
    """Everything waiting for the person, the most urgent first and then by due date."""
    items = [
        item
        for registered in _QUEUES.values()
        for item in registered.waiting_for(person)
        if item.count > 0
    ]
    return sorted(items, key=lambda item: (item.urgency, item.due or date.max, item.title))


def starts_for(person: Any) -> list[Start]:
    return [start for starts in _STARTS.values() for start in starts(person)]


__all__ = [
    "Notice",
    "Queue",
    "Start",
    "Urgency",
    "WorkItem",
    "queue",
    "register_queue",
    "register_starts",
    "starts_for",
    "waiting_for",
]
