"""Commissioners' narrative findings as HTML: the kit's (`commissioning.kit.narrative`), kept
importable here."""

from commissioning.kit.narrative import findings_html

__all__ = ["findings_html"]
