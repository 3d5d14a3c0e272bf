"""Check an office's own .docx template before it is used.

Lists the variables the template uses, finds Jinja tags split across Word
runs (Word splits text into runs when formatting, spell-checking or editing
history changes mid-word, and ``{{`` in one run with ``}}`` in another may
render with the wrong formatting or not at all) and tags split across
paragraphs, and reports Jinja syntax errors with the paragraph they are in.
"""

from __future__ import annotations

import bisect
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from lxml import etree

from .. import guard
from ..errors import ConfigError
from ..read.docx import safe_parser
from .render import jinja_environment

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_PART_BYTES = 50 * 1024 * 1024  # one XML part of a template, as inflated
MAX_PROBLEMS = 200  # listed; the rest counted
_NS = {"w": W}
_OPEN = re.compile(r"\{[{%#]")
_CLOSE = re.compile(r"[}%#]\}")
# docxtpl's own prefixes: {%p …%}, {%tr …%}, {%tc …%}, {%r …%}, {{r …}}, {{p …}}
_DOCXTPL_PREFIX = re.compile(r"(\{%|\{\{)(p|tr|tc|r|cellbg|vm|hm)\s")


@dataclass(frozen=True)
class TemplateProblem:
    kind: str  # syntax | split-run | split-paragraph | tag-with-text | unknown-variable
    where: str  # Vietnamese location: "đoạn 12", "bảng 1, hàng 2, ô 3", "đầu trang, đoạn 1"
    message: str


@dataclass
class TemplateReport:
    path: Path
    variables: list[str] = field(default_factory=list)
    problems: list[TemplateProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Paragraph:
    where: str
    runs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.runs)


def _paragraphs(root: etree._Element, part_label: str) -> list[_Paragraph]:
    out: list[_Paragraph] = []
    tables = {id(t): i for i, t in enumerate(root.iter(f"{{{W}}}tbl"))}
    body_index = 0
    for p in root.iter(f"{{{W}}}p"):
        runs = tuple("".join(t.text or "" for t in r.iter(f"{{{W}}}t")) for r in p.iter(f"{{{W}}}r"))
        cell = next((a for a in p.iterancestors(f"{{{W}}}tc")), None)
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            where = (f"bảng {tables.get(id(table), 0) + 1}, hàng {table.index(row) - _non_rows(table, row) + 1}, "
                     f"ô {_cell_index(row, cell) + 1}")
        else:
            body_index += 1
            where = f"{part_label} {body_index}"
        out.append(_Paragraph(where, runs))
    return out


def _non_rows(table, row) -> int:
    """Children before ``row`` that are not rows (tblPr, tblGrid)."""
    return sum(1 for child in table[: table.index(row)] if child.tag != f"{{{W}}}tr")


def _cell_index(row, cell) -> int:
    return [c for c in row if c.tag == f"{{{W}}}tc"].index(cell)


def _split_problems(paragraphs: list[_Paragraph]) -> list[TemplateProblem]:
    """Linear in the text (bisect over run starts and closing marks): a template with thousands of
    split or unclosed tags is checked in a moment."""
    problems = []
    for para in paragraphs:
        text = para.text
        # where each run starts in the paragraph text
        starts, pos = [], 0
        for run in para.runs:
            starts.append(pos)
            pos += len(run)

        def run_of(offset: int) -> int:
            return max(bisect.bisect_right(starts, offset) - 1, 0)

        closes = [m.end() for m in _CLOSE.finditer(text)]
        for match in _OPEN.finditer(text):
            at = bisect.bisect_left(closes, match.end() + 2)
            if at == len(closes):
                problems.append(TemplateProblem("split-paragraph", para.where,
                                                f"thẻ '{match.group()}' không đóng trong cùng đoạn"))
                continue
            end = closes[at]
            first, last = run_of(match.start()), run_of(end - 1)
            if first != last or run_of(match.start() + 1) != first:
                tag = _short(text[match.start():end])
                problems.append(TemplateProblem("split-run", para.where,
                                                f"thẻ '{tag}' bị tách qua {last - first + 1} đoạn định dạng (run); "
                                                "gõ lại cả thẻ một lần, không đổi định dạng giữa chừng"))
    return problems


def _short(tag: str, limit: int = 80) -> str:
    return tag if len(tag) <= limit else tag[: limit - 1] + "…"


_PARAGRAPH_TAG = re.compile(r"\{%-?\s*(p|tr|tc)\s.{0,1000}?%\}")  # bounded: no quadratic search


def _lonely_tag_problems(paragraphs: list[_Paragraph]) -> list[TemplateProblem]:
    """docxtpl replaces the whole paragraph (row, cell) of a ``{%p``/``{%tr``/``{%tc`` tag:
    any other text there silently disappears from every document."""
    problems = []
    for para in paragraphs:
        match = _PARAGRAPH_TAG.search(para.text)
        if match is None:
            continue
        rest = (para.text[:match.start()] + para.text[match.end():]).strip()
        if _PARAGRAPH_TAG.search(rest) is None and rest:
            problems.append(TemplateProblem("tag-with-text", para.where,
                                            f"thẻ '{match.group()}' phải đứng một mình trong đoạn; chữ "
                                            f"'{rest[:40]}' cùng đoạn sẽ bị xóa khi soạn"))
    return problems


def _template_text(paragraphs: list[_Paragraph]) -> str:
    """One line per paragraph, docxtpl prefixes removed: Jinja line numbers then name paragraphs."""
    return "\n".join(_DOCXTPL_PREFIX.sub(r"\1 ", p.text) for p in paragraphs)


def check_template(path: str | Path, kind: str | None = None) -> TemplateReport:
    """Check ``path``; with ``kind`` (or a file named like a kind, e.g. ``don-doc.docx``) also report
    variables that vanban does not provide for that kind."""
    from .render import context_names, kinds

    path = Path(path)
    if kind is None and path.stem in kinds():
        kind = path.stem
    report = TemplateReport(path)
    guard.check_regular(path, ConfigError)
    guard.check_size(path, guard.LIMITS.document_bytes, "tệp mẫu")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            parts = [("word/document.xml", "đoạn")]
            parts += [(n, "đầu trang, đoạn") for n in names if re.fullmatch(r"word/header\d*\.xml", n)]
            parts += [(n, "chân trang, đoạn") for n in names if re.fullmatch(r"word/footer\d*\.xml", n)]
            xml = {name: guard.read_member(archive, name, MAX_PART_BYTES, path) for name, _ in parts if name in names}
    except FileNotFoundError:
        raise ConfigError("không tìm thấy tệp mẫu", path) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as exc:
        raise ConfigError(f"tệp mẫu không phải .docx hợp lệ ({type(exc).__name__})", path) from None
    if "word/document.xml" not in xml:
        raise ConfigError("tệp mẫu không phải .docx hợp lệ (thiếu word/document.xml)", path)

    env = jinja_environment()
    variables: set[str] = set()
    from jinja2 import meta

    for name, label in parts:
        if name not in xml:
            continue
        try:
            root = etree.fromstring(xml[name], safe_parser())  # an office template is a file from outside
        except etree.XMLSyntaxError as exc:
            raise ConfigError(f"{name} hỏng ({exc})", path) from None
        paragraphs = _paragraphs(root, label)
        report.problems += _split_problems(paragraphs)
        report.problems += _lonely_tag_problems(paragraphs)
        source = _template_text(paragraphs)
        try:
            ast = env.parse(source)
            variables |= meta.find_undeclared_variables(ast)
        except RecursionError:
            raise ConfigError(f"{name}: biểu thức Jinja lồng nhau quá sâu", path) from None
        except jinja2.TemplateSyntaxError as exc:
            line = (exc.lineno or 1) - 1
            where = paragraphs[line].where if 0 <= line < len(paragraphs) else f"dòng {exc.lineno}"
            report.problems.append(TemplateProblem("syntax", where, f"sai cú pháp Jinja (dòng {exc.lineno}): "
                                                                   f"{exc.message}"))
            continue
    report.variables = sorted(variables)
    if kind is not None:
        known = context_names(kind)
        for name in report.variables:
            if name not in known:
                report.problems.append(TemplateProblem(
                    "unknown-variable", "toàn mẫu",
                    f"biến '{name}' không có trong dữ liệu của loại {kind}; các biến có sẵn: {', '.join(sorted(known))}"))
    if len(report.problems) > MAX_PROBLEMS:
        more = len(report.problems) - MAX_PROBLEMS
        report.problems = report.problems[:MAX_PROBLEMS] + [
            TemplateProblem("more", "toàn mẫu", f"còn {more} vấn đề khác cùng loại (chỉ liệt kê {MAX_PROBLEMS})")]
    return report
