"""The audit hash chain, as pure functions.

Each event's hash is an HMAC-SHA256, under a key kept outside the database, over the previous
event's hash and a canonical JSON rendering of the event's own content. Changing, removing or
reordering any stored event breaks every link after it, which `verify` reports; without the key
nobody who can write to the database can compute the hashes of a rewritten chain.

The chain's head (how many events, and the newest hash) is sealed with the same key, so that
removing the newest events shows too; recording the head somewhere else (an anchor) catches
what even a holder of the key could do.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def derive_key(secret: str) -> bytes:
    """The chain's key when no key of its own is configured: derived from another secret."""
    return hmac.new(secret.encode(), b"open-commissioning audit chain", hashlib.sha256).digest()


def link_hash(key: bytes, previous_hash: str, content: Mapping[str, Any]) -> str:
    message = previous_hash.encode("ascii") + b"\n" + canonical(content)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def unkeyed_link_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    """How links were hashed before the chain was keyed; only to check an old chain once."""
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(content)).hexdigest()


def head_seal(key: bytes, count: int, last_hash: str) -> str:
    return hmac.new(key, f"head\n{count}\n{last_hash}".encode(), hashlib.sha256).hexdigest()


def seal_matches(key: bytes, count: int, last_hash: str, seal: str) -> bool:
    return hmac.compare_digest(head_seal(key, count, last_hash), seal)


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


@dataclass(frozen=True)
class Anchor:
    """The chain's state at some moment, kept outside the database: its first `count` events
    ended with `head`."""

    count: int
    head: str


@dataclass(frozen=True)
class Walk:
    checked: int
    head: str
    broken: Break | None
    heads_at: Mapping[int, str]  # the head after so many events, for the counts asked about


def walk(key: bytes, links: Iterable[StoredLink], remember: Iterable[int] = ()) -> Walk:
    """Walk the chain in order, stopping at the first broken link."""
    wanted = set(remember)
    heads_at: dict[int, str] = {0: GENESIS} if 0 in wanted else {}
    expected_previous = GENESIS
    checked = 0
    for link in links:
        if link.previous_hash != expected_previous:
            reason = "its previous-hash does not match the event before it"
            return Walk(checked, expected_previous, Break(link.position, reason), heads_at)
        if not hmac.compare_digest(link_hash(key, link.previous_hash, link.content), link.hash):
            reason = "its content does not match its stored hash"
            return Walk(checked, expected_previous, Break(link.position, reason), heads_at)
        expected_previous = link.hash
        checked += 1
        if checked in wanted:
            heads_at[checked] = link.hash
    return Walk(checked, expected_previous, None, heads_at)


def verify(key: bytes, links: Iterable[StoredLink]) -> tuple[int, Break | None]:
    """How many links held and the first break, if any."""
    result = walk(key, links)
    return result.checked, result.broken


def anchor_mismatch(result: Walk, anchor: Anchor) -> str | None:
    """Why an intact chain does not agree with an anchor taken earlier, or None if it does."""
    if result.checked < anchor.count:
        return (
            f"the chain has {result.checked} events but had {anchor.count} when anchored: "
            "events have been removed"
        )
    if result.heads_at.get(anchor.count) != anchor.head:
        return (
            f"the first {anchor.count} events no longer end with the anchored head "
            f"{anchor.head}: they have been rewritten"
        )
    return None
