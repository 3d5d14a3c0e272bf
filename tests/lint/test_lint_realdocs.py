"""The real corpus (VANBAN_REALDOCS): lint every .docx/.doc without a crash; fix every one with its text
unchanged (or changed only as the report lists) and none of the fixed faults left."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vanban.lint import lint_file
from vanban.lint.fix import fix_file
from vanban.read import read_file


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in (".docx", ".doc") and p.is_file()
                  and not p.name.startswith("~$"))


@pytest.fixture(scope="module")
def corpus(realdocs) -> list[Path]:
    files = _files(realdocs)
    assert len(files) >= 150
    return files


def test_lint_reads_every_file(corpus):
    counts: Counter = Counter()
    for path in corpus:
        result = lint_file(path)
        assert not result.failed, (path, result.error)
        counts.update(f.rule_id for f in result.findings)
    print("hits per rule:", dict(sorted(counts.items())))
    # reviewed by hand (README): Letter paper, margins outside the ranges, 'Độc lập – Tự do' with en dashes
    assert counts["VB601"] >= 5 and counts["VB602"] >= 100 and counts["VB605"] >= 20


def test_fix_keeps_the_text_and_leaves_no_fixed_fault(corpus, tmp_path):
    changed: Counter = Counter()
    for i, path in enumerate(corpus):
        out = tmp_path / f"{i}.docx"
        report = fix_file(path, out)
        assert not report.remaining, (path, [f.message for f in report.remaining])
        fixed = {c.rule_id for c in report.changes} - {f.rule_id for f in report.left}  # wholly fixed
        assert not fixed & {f.rule_id for f in lint_file(out, sorted(fixed)).findings}, path
        old = [b.text for b in read_file(path).blocks]
        new = [b.text for b in read_file(out).blocks]
        listed = {(c.before, c.after) for c in report.text_changes}
        assert len(old) == len(new), path
        assert all(a == b or (a, b) in listed for a, b in zip(old, new)), path
        changed.update(c.rule_id for c in report.changes)
    print("fixes per rule:", dict(sorted(changed.items())))
    assert changed["VB602"] >= 50
