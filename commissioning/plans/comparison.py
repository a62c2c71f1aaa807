"""A readable comparison of two versions of a plan: each part of the plan (its scope, each
section, its outcomes, intentions and so on) as lines of text, compared line by line.

`compare(older, newer)` takes each version as an ordered mapping of part title to lines and
gives, for every part in either version (the newer version's order first, then parts only the
older one had), the lines kept, added and removed. Reading only the kept and added lines gives
the newer part exactly; only the kept and removed lines, the older part. Pure: no Django."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Line:
    kind: Kind
    text: str


@dataclass(frozen=True)
class PartChange:
    title: str
    lines: tuple[Line, ...]

    @property
    def changed(self) -> bool:
        return any(line.kind != "same" for line in self.lines)

    @property
    def added(self) -> int:
        return sum(line.kind == "added" for line in self.lines)

    @property
    def removed(self) -> int:
        return sum(line.kind == "removed" for line in self.lines)


def compare_lines(older: Sequence[str], newer: Sequence[str]) -> tuple[Line, ...]:
    matcher = SequenceMatcher(a=list(older), b=list(newer), autojunk=False)
    lines: list[Line] = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(Line("same", text) for text in newer[b_start:b_end])
            continue
        # A replaced block reads best as the old lines struck out, then the new ones.
        lines.extend(Line("removed", text) for text in older[a_start:a_end])
        lines.extend(Line("added", text) for text in newer[b_start:b_end])
    return tuple(lines)


def compare(
    older: Mapping[str, Sequence[str]], newer: Mapping[str, Sequence[str]]
) -> list[PartChange]:
    titles = list(newer) + [title for title in older if title not in newer]
    return [
        PartChange(title, compare_lines(older.get(title, ()), newer.get(title, ())))
        for title in titles
    ]
