"""Renderers of check results: each takes ``list[DossierResult]`` and returns text or bytes."""

from .html import write_html
from .json_report import to_json, to_json_data
from .junit import to_junit
from .sarif import to_sarif
from .table import summary_rows, write_summary
from .text import to_text
from .write import write_atomic

FORMATS = {"text": to_text, "json": to_json, "sarif": to_sarif, "junit": to_junit}

__all__ = ["FORMATS", "summary_rows", "to_json", "to_json_data", "to_junit", "to_sarif", "to_text",
           "write_atomic", "write_html", "write_summary"]
