"""Renderers of check results: each takes ``list[DossierResult]`` and returns text or bytes; the
streaming ones (``RENDERERS``, :class:`HtmlWriter`, :class:`SummaryWriter`) take the results of a
batch one at a time, as they come, and write the same bytes."""

from .html import HtmlWriter, write_html
from .json_report import JsonRenderer, to_json, to_json_data
from .junit import JunitRenderer, to_junit
from .sarif import SarifRenderer, to_sarif
from .table import SummaryWriter, summary_rows, write_summary
from .text import TextRenderer, to_text
from .write import StreamedReport, write_atomic

FORMATS = {"text": to_text, "json": to_json, "sarif": to_sarif, "junit": to_junit}
RENDERERS = {"text": TextRenderer, "json": JsonRenderer, "sarif": SarifRenderer, "junit": JunitRenderer}

__all__ = ["FORMATS", "RENDERERS", "HtmlWriter", "StreamedReport", "SummaryWriter", "summary_rows", "to_json",
           "to_json_data", "to_junit", "to_sarif", "to_text", "write_atomic", "write_html", "write_summary"]
