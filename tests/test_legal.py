"""The legal-basis registry: validity at a date, successors, and the office's own entries."""

from __future__ import annotations

import datetime as dt

from vanban.legal import LegalRegistry
from vanban.understand import parse_citation


def test_validity_depends_on_the_date_of_the_checked_document():
    registry = LegalRegistry.load()
    law = registry.by_symbol("77/2015/QH13")
    assert registry.validity(law, dt.date(2021, 3, 15)).in_force
    later = registry.validity(law, dt.date(2026, 1, 6))
    assert not later.in_force
    # the direct successor was itself replaced: the clerk is told what is in force now
    assert "được thay thế bởi Luật Tổ chức chính quyền địa phương số 65/2025/QH15" in later.reason
    assert "nay là Luật Tổ chức chính quyền địa phương số 72/2025/QH15" in later.reason
    # in May 2025 the direct successor is the one in force: no "nay là"
    may = registry.validity(law, dt.date(2025, 5, 1))
    assert "65/2025/QH15" in may.reason and "nay là" not in may.reason


def test_a_law_cited_by_name_and_year_resolves_to_its_entry():
    registry = LegalRegistry.load()
    citation = parse_citation("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    entry = registry.resolve(citation, dt.date(2026, 1, 6))
    assert entry is not None and entry.symbol == "77/2015/QH13"


def test_the_office_extends_the_registry(tmp_path):
    extra = tmp_path / "can-cu.yaml"
    extra.write_text(
        "entries:\n"
        "  - symbol: 39/2016/NĐ-CP\n"
        "    doc_type: Nghị định\n"
        "    title: Nghị định quy định chi tiết thi hành một số điều của Luật An toàn, vệ sinh lao động\n"
        "    issued: 2016-05-15\n", encoding="utf-8")
    registry = LegalRegistry.load([extra])
    citation = parse_citation("Căn cứ Nghị định số 39/2016/NĐ-CP ngày 15 tháng 5 năm 2016 của Chính phủ;")
    entry = registry.resolve(citation, dt.date(2026, 3, 3))
    assert entry is not None and registry.validity(entry, dt.date(2026, 3, 3)).in_force
    assert LegalRegistry.load().resolve(citation, dt.date(2026, 3, 3)) is None
