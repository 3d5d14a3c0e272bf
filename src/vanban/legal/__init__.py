"""Legal bases: a registry of cited documents and their validity over time."""

from .registry import LegalEntry, LegalRegistry, Validity, symbol_key

__all__ = ["LegalEntry", "LegalRegistry", "Validity", "symbol_key"]
