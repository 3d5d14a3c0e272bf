"""What ``vanban lint`` and ``vanban fix`` print: text, JSON, SARIF 2.1.0, JUnit XML (as ``vanban check``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

from .. import __version__
from ..check.report.junit import rule_case
from .catalogue import FIX_VI, lint_catalogue
from .engine import LintResult
from .fix import FixReport

SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_text(results: list[LintResult]) -> str:
    lines = []
    total = 0
    for r in results:
        if r.failed:
            lines.append(f"{r.path}: không đọc được: {r.error}")
            continue
        if not r.findings and not r.applied:
            lines.append(f"{r.path}: không kiểm tra được thể thức (bản quét hoặc tệp không có chữ)")
            continue
        if not r.findings:
            lines.append(f"{r.path}: đúng thể thức ({len(r.applied)} quy tắc áp dụng)")
            continue
        fixable = sum(f.fixable for f in r.findings)
        lines.append(f"{r.path}: {len(r.findings)} điểm sai thể thức ({fixable} điểm `vanban fix` sửa được)")
        for f in r.findings:
            where = f" [{f.location}]" if f.location else ""
            mark = " (sửa được)" if f.fixable else ""
            lines.append(f"  {f.rule_id} {SEVERITY_VI[f.severity]}{where}: {f.message}{mark}")
        total += len(r.findings)
    if len(results) > 1:
        lines.append(f"Tổng: {len(results)} tệp, {total} điểm sai thể thức, "
                     f"{sum(r.failed for r in results)} tệp không đọc được.")
    return "\n".join(lines) + "\n"


def to_json(results: list[LintResult]) -> str:
    doc = {"tool": "vanban lint", "version": __version__,
           "files": [{"path": r.path, "format": r.format, "error": r.error, "rules_run": list(r.rules_run),
                      "findings": [asdict(f) for f in r.findings]} for r in results]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_sarif(results: list[LintResult]) -> str:
    infos = lint_catalogue()
    ids = list(infos)
    rules = [{"id": r.id, "name": r.name, "shortDescription": {"text": r.name}, "fullDescription": {"text": r.why},
              "help": {"text": f"{r.why}\nCăn cứ: {r.clause}\nSai: {r.bad}\nĐúng: {r.good}\nSửa: {FIX_VI[r.fix]}"},
              "defaultConfiguration": {"level": LEVEL[r.severity]},
              "properties": {"clause": r.clause, "fix": r.fix}} for r in infos.values()]
    out = []
    for r in results:
        uri = quote(Path(r.path).as_posix(), safe="/:")
        if r.failed:
            out.append({"ruleId": "VB600", "level": "error", "message": {"text": f"Không đọc được tệp: {r.error}"},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
        for f in r.findings:
            out.append({"ruleId": f.rule_id, "ruleIndex": ids.index(f.rule_id), "level": LEVEL[f.severity],
                        "message": {"text": f.message},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}},
                                       **({"message": {"text": f.location}} if f.location else {})}],
                        "properties": {"evidence": f.evidence, "fixable": f.fixable}})
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "vanban lint", "version": __version__,
                                         "informationUri": "https://github.com/", "rules": rules}},
                     "results": out, "columnKind": "unicodeCodePoints"}]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_junit(results: list[LintResult]) -> str:
    infos = lint_catalogue()
    root = ET.Element("testsuites", name="vanban lint")
    tests = failures = 0
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=r.path)
        n = f_count = 0
        if r.failed:
            case = ET.SubElement(suite, "testcase", classname=r.path, name="Đọc tệp")
            ET.SubElement(case, "error", message=r.error).text = r.error
            n, f_count = 1, 1
        for rule_id in r.rules_run if not r.failed else ():
            n += 1
            case = ET.SubElement(suite, "testcase", classname=r.path, name=f"{rule_id} {infos[rule_id].name}")
            hits = [f for f in r.findings if f.rule_id == rule_id]
            if rule_case(case, hits, lambda f: f"{f.message} ({f.location})" if f.location else f.message):
                f_count += 1
        suite.set("tests", str(n))
        suite.set("failures", str(f_count))
        tests += n
        failures += f_count
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


FORMATS = {"text": to_text, "json": to_json, "sarif": to_sarif, "junit": to_junit}


def fix_text(report: FixReport) -> str:
    lines = [f"{report.source} → {report.output}"]
    if report.changes:
        lines.append(f"Đã sửa ({len(report.changes)}):")
        groups: dict[tuple[str, str], list] = {}
        for c in report.changes:  # the same formatting on many paragraphs: one line
            key = (c.rule_id, c.what) if c.before is None and c.location else (c.rule_id, str(id(c)))
            groups.setdefault(key, []).append(c)
        for group in groups.values():
            c = group[0]
            if len(group) > 3:
                places = ", ".join(x.location for x in group[:3])
                lines.append(f"  {c.rule_id} [{len(group)} đoạn: {places}, …]: {c.what}")
                continue
            for c in group:
                where = f" [{c.location}]" if c.location else ""
                lines.append(f"  {c.rule_id}{where}: {c.what}")
                if c.before is not None:
                    lines.append(f"      trước: {c.before}")
                    lines.append(f"      sau:   {c.after}")
    else:
        lines.append("Không có gì cần sửa tự động.")
    if report.left:
        infos = lint_catalogue()
        lines.append(f"Để người soạn sửa ({len(report.left)}):")
        for f in report.left:
            where = f" [{f.location}]" if f.location else ""
            lines.append(f"  {f.rule_id}{where}: {f.message} — {infos[f.rule_id].fix_note}")
    if report.remaining:
        lines.append("Sau khi sửa vẫn còn:")
        lines += [f"  {f.rule_id}: {f.message}" for f in report.remaining]
    return "\n".join(lines) + "\n"


def fix_json(report: FixReport) -> str:
    return json.dumps({"source": report.source, "output": report.output,
                       "changes": [asdict(c) for c in report.changes], "left": [asdict(f) for f in report.left],
                       "remaining": [asdict(f) for f in report.remaining]}, ensure_ascii=False, indent=2) + "\n"
