"""Words for people, kept apart from the language they are shown in.

Code that knows no Django (file readers, calculations) still has to tell people what went
wrong. It builds a `Phrase`: an English template and its values, some of which are phrases
themselves ("Line {line}: {message}." holding "{column} '{value}' is not a number"). Whoever
shows it renders it with the reader's `gettext`; `str()` gives English. A phrase can be kept as
JSON, so a problem recorded by a background task is shown later in the language of whoever
reads it.

Templates are marked with `gettext_noop` so that `makemessages` collects them; it does nothing
at run time.

Pure: no Django.
"""

from collections.abc import Callable, Mapping
from typing import Any

Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Marks `message` for translation without translating it (`makemessages` looks for it)."""
    return message


def _unchanged(message: str) -> str:
    return message


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


class Phrase:
    """An English `template` in `str.format` syntax and the `params` it names."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template = template
        self.params = params

    def render(self, translate: Translate = _unchanged) -> str:
        values = _Values(
            {
                name: value.render(translate) if isinstance(value, Phrase) else value
                for name, value in self.params.items()
            }
        )
        try:
            return translate(self.template).format_map(values)
        except (ValueError, IndexError, AttributeError):
            # A translation whose placeholders do not match the English falls back to the
            # English wording, so the reader still learns what went wrong.
            return self.template.format_map(values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Phrase)
            and other.template == self.template
            and other.params == self.params
        )

    def __hash__(self) -> int:
        return hash(self.template)

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "params": {
                name: value.to_json() if isinstance(value, Phrase) else value
                for name, value in self.params.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Phrase":
        params = {
            name: cls.from_json(value) if isinstance(value, Mapping) else value
            for name, value in data.get("params", {}).items()
        }
        return cls(str(data["template"]), **params)


class Refusal(Exception):
    """Something refused: why, in words (`phrase`; `str()` is its English), a short machine
    `code`, and the line of a file where there is one. Apps subclass it for their own."""

    def __init__(self, phrase: Phrase, *, code: str, line: int | None = None) -> None:
        super().__init__(phrase.render())
        self.phrase = phrase
        self.code = code
        self.line = line
