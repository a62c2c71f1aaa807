"""Words for people, kept apart from the language they are shown in: the kit's
(`commissioning.kit.phrases`), kept importable here."""

from commissioning.kit.phrases import Phrase, Refusal, Translate, gettext_noop

__all__ = ["Phrase", "Refusal", "Translate", "gettext_noop"]
