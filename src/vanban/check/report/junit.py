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


def _suite(d: DossierResult) -> tuple[ET.Element, int, int]:
    """The dossier's testsuite, its number of tests and of failures."""
    by_rule: dict[str, list] = {}
    for f in d.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    suite = ET.Element("testsuite", name=d.name)
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
    return suite, tests, failures


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_END = "\n</testsuites>"


def _root() -> ET.Element:
    return ET.Element("testsuites", name="vanban check")


def to_junit(results: list[DossierResult]) -> str:
    root = _root()
    total_tests = total_failures = 0
    for d in results:
        suite, tests, failures = _suite(d)
        root.append(suite)
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    ET.indent(root)
    return _DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


class JunitRenderer:
    """``to_junit`` one dossier at a time: each testsuite as ``to_junit`` indents it; the root's totals,
    known at the end, go before them (the body is spooled)."""

    spool = True

    def __init__(self):
        self.count = self.tests = self.failures = 0

    def add(self, result: DossierResult) -> str:
        suite, tests, failures = _suite(result)
        root = _root()
        root.append(suite)
        ET.indent(root)
        text = ET.tostring(root, encoding="unicode")
        self.count += 1
        self.tests += tests
        self.failures += failures
        return text[text.index(">") + 1:text.rindex(_END)]  # "\n  <testsuite …>…</testsuite>"

    def finish(self) -> tuple[str, str]:
        root = _root()
        root.set("tests", str(self.tests))
        root.set("failures", str(self.failures))
        if not self.count:
            ET.indent(root)
            return _DECLARATION + ET.tostring(root, encoding="unicode") + "\n", ""
        ET.SubElement(root, "testsuite")
        head = ET.tostring(root, encoding="unicode")
        return _DECLARATION + head[:head.index(">") + 1], _END + "\n"
