"""The generic tables now live in the kit (`commissioning.kit.tables`); kept importable here."""

from commissioning.kit.tables import FORMULA_STARTS, Table, safe_cell, to_csv, to_xlsx

__all__ = ["FORMULA_STARTS", "Table", "safe_cell", "to_csv", "to_xlsx"]
