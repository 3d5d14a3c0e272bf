"""JUnit XML: one testsuite per dossier, one testcase per rule (skipped when not applicable)."""

from __future__ import annotations

from typing import Callable
from xml.etree import ElementTree as ET

from ..model import DossierResult


def rule_case(case: ET.Element, hits: list, line: Callable[[object], str]) -> bool:
    """A rule's testcase: a failure carrying its errors and warnings (one ``line`` each), else its other
    findings as output; True when it failed. ``vanban lint`` writes its testcases with it too."""
    failing = [f for f in hits if f.severity in ("error", "warning")]
    if failing:
        node = ET.SubElement(case, "failure", message=failing[0].message, type=failing[0].severity)
        node.text = "\n".join(line(f) for f in failing)
        return True
    if hits:
        ET.SubElement(case, "system-out").text = "\n".join(f.message for f in hits)
    return False


def to_junit(results: list[DossierResult]) -> str:
    root = ET.Element("testsuites", name="vanban check")
    total_tests = total_failures = 0
    for d in results:
        by_rule: dict[str, list] = {}
        for f in d.findings:
            by_rule.setdefault(f.rule_id, []).append(f)
        suite = ET.SubElement(root, "testsuite", name=d.name)
        tests = failures = skipped = 0
        stats = d.rule_stats or ()
        if d.failed:
            case = ET.SubElement(suite, "testcase", classname=d.name, name="Đọc hồ sơ")
            ET.SubElement(case, "error", message=d.failed).text = d.failed
            tests += 1
            failures += 1
        for st in stats:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=d.name, name=f"{st.rule_id} {st.name}")
            if not st.checked:
                ET.SubElement(case, "skipped", message="không áp dụng")
                skipped += 1
            elif rule_case(case, by_rule.get(st.rule_id, []),
                           lambda f: f"{f.message} ({', '.join(x for x in (f.file, f.location) if x)})"):
                failures += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
