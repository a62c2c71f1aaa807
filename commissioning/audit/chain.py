"""The audit hash chain, as pure functions.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON rendering of
the event's own content. Changing, removing or reordering any stored event breaks every link
after it, which `verify` reports.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(content)).hexdigest()


@dataclass(frozen=True)
class StoredLink:
    position: int
    previous_hash: str
    hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    position: int
    reason: str


def verify(links: Iterable[StoredLink]) -> tuple[int, Break | None]:
    """Walk the chain in order; return how many links held and the first break, if any."""
    expected_previous = GENESIS
    checked = 0
    for link in links:
        if link.previous_hash != expected_previous:
            return checked, Break(
                link.position, "its previous-hash does not match the event before it"
            )
        if link_hash(link.previous_hash, link.content) != link.hash:
            return checked, Break(link.position, "its content does not match its stored hash")
        expected_previous = link.hash
        checked += 1
    return checked, None
