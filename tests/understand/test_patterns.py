"""Pattern files are data validated by a schema; a broken row is reported with file and line."""

from __future__ import annotations

import pytest

from vanban.errors import ConfigError
from vanban.understand.patterns import PATTERN_DIR, doc_types, load_patterns, type_by_abbr

NAMES = sorted(p.stem for p in PATTERN_DIR.glob("*.jsonl"))


@pytest.mark.parametrize("name", NAMES)
def test_shipped_patterns_validate(name):
    assert load_patterns(name)


def test_all_types_of_decree_30_are_known():
    titled = [t for t in doc_types() if t.title and t.abbr]
    assert len({t.abbr for t in titled}) >= 30  # 29 types of Phụ lục III + phiếu trình, kết luận
    assert type_by_abbr()["TTr"] == "Tờ trình" and type_by_abbr()["QyĐ"] == "Quy định"
    assert next(t for t in doc_types() if t.name == "Công văn").abbr is None


def test_broken_row_names_file_and_line(tmp_path):
    (tmp_path / "positions.jsonl").write_text('{"text": "GIÁM ĐỐC"}\n{"text": 5}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="dòng 2") as info:
        load_patterns("positions", tmp_path)
    assert str(tmp_path / "positions.jsonl") in str(info.value)
    (tmp_path / "marks.jsonl").write_text('{"kind": "secrecy", "text": "MẬT"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="dòng 1: JSON không hợp lệ"):
        load_patterns("marks", tmp_path)
