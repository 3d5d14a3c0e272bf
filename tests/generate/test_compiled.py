"""The compiled template writes the same document as docxtpl, and a batch renders in parallel with its numbers
taken in order.

docxtpl's output is compared part by part: the zip's members, their order, their compression and their bytes
are the same; only the zip's timestamps differ (as between two docxtpl runs)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from vanban.errors import ConfigError, LimitError
from vanban.generate import build_context, kinds, render_many
from vanban.generate.filters import to_date
from vanban.generate.register import list_entries
from vanban.generate.render import _render_to_temp, compiled_template, template_path

from .conftest import OFFICE_DIR, sample_data


def _members(path: Path) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return [(info.filename, info.compress_type, z.read(info)) for info in z.infolist()]


def _context(kind: str, office, data: dict | None = None, number: str = "07") -> dict:
    data = data if data is not None else sample_data(kind)
    date = to_date(data["date"], "date") if data.get("date") else dt.date(2026, 1, 5)
    return build_context(kind, data, office, number=number, date=date)


def _both_ways(template: Path, context: dict, out: Path) -> tuple[list, list]:
    plain = _render_to_temp(template, context, out / "docxtpl.docx", None, compiled=False)
    fast = _render_to_temp(template, context, out / "compiled.docx", None, compiled=True)
    return _members(plain), _members(fast)


def _assert_same(plain: list, fast: list) -> None:
    assert [(name, kind) for name, kind, _ in fast] == [(name, kind) for name, kind, _ in plain]
    for (name, _, a), (_, _, b) in zip(plain, fast):
        assert b == a, name


@pytest.mark.parametrize("kind", sorted(kinds()))
def test_every_bundled_kind_is_the_same_document_both_ways(kind, office, tmp_path):
    template = template_path(kind)
    assert compiled_template(template).supported
    plain, fast = _both_ways(template, _context(kind, office), tmp_path)
    _assert_same(plain, fast)
    names = [name for name, _, _ in fast]
    assert names[0] == "[Content_Types].xml" and "word/document.xml" in names and "docProps/core.xml" in names


def test_line_breaks_and_tabs_in_the_data_are_resolved_like_docxtpl(office, tmp_path):
    """``\\n`` in a value becomes <w:br/> (docxtpl's resolve_listing), on both paths alike."""
    data = sample_data("cong-van")
    data["paragraphs"] = ["Dòng một\nDòng hai\tsau tab", *data["paragraphs"][1:]]
    plain, fast = _both_ways(template_path("cong-van"), _context("cong-van", office, data), tmp_path)
    _assert_same(plain, fast)
    body = dict((name, xml) for name, _, xml in fast)["word/document.xml"].decode()
    assert "Dòng một</w:t><w:br/>" in body and "<w:tab/>" in body


def test_consecutive_letters_do_not_leak_into_each_other(office, tmp_path):
    """The compiled template reuses the document's root: each letter has its own body only."""
    template = template_path("don-doc")
    first = _render_to_temp(template, _context("don-doc", office, dict(sample_data("don-doc"), unit_name="Sở Một")),
                            tmp_path / "a.docx", None)
    second_data = dict(sample_data("don-doc"), unit_name="Sở Hai")
    plain, fast = _both_ways(template, _context("don-doc", office, second_data), tmp_path)
    _assert_same(plain, fast)
    body = dict((name, xml) for name, _, xml in fast)["word/document.xml"].decode()
    assert "Sở Hai" in body and "Sở Một" not in body
    assert "Sở Một" in dict((n, x) for n, _, x in _members(first))["word/document.xml"].decode()


def _edited(template: Path, target: Path, member: str, edit) -> Path:
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, edit(data.decode()).encode() if info.filename == member else data)
    return target


def test_a_templated_header_is_rendered_per_letter(office, tmp_path):
    template = _edited(template_path("don-doc"), tmp_path / "don-doc.docx", "word/header1.xml",
                       lambda xml: xml.replace("</w:p>", "<w:r><w:t>{{ unit_name }}</w:t></w:r></w:p>", 1))
    compiled = compiled_template(template)
    assert compiled.supported and len(compiled.parts) == 1
    for unit in ("Sở Xây dựng", "Sở Y tế"):
        plain, fast = _both_ways(template, _context("don-doc", office, dict(sample_data("don-doc"), unit_name=unit)),
                                 tmp_path)
        _assert_same(plain, fast)
        assert unit in dict((name, xml) for name, _, xml in fast)["word/header1.xml"].decode()


def test_tags_in_the_core_properties_go_through_docxtpl(office, tmp_path):
    template = _edited(template_path("don-doc"), tmp_path / "don-doc.docx", "docProps/core.xml",
                       lambda xml: re.sub(r"<dc:title>.*?</dc:title>|<dc:title/>", "", xml).replace(
                           "</cp:coreProperties>", "<dc:title>{{ unit_name }}</dc:title></cp:coreProperties>"))
    assert not compiled_template(template).supported
    path = _render_to_temp(template, _context("don-doc", office, dict(sample_data("don-doc"), unit_name="Sở Y tế")),
                           tmp_path / "out.docx", None)
    assert "Sở Y tế" in dict((n, x) for n, _, x in _members(path))["docProps/core.xml"].decode()


def _records(n: int) -> list[dict]:
    base = sample_data("don-doc")
    return [dict(base, unit_name=f"Sở số {i}", recipients=[f"Sở số {i}"], number="auto") for i in range(n)]


def _body(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode()


def test_a_parallel_batch_numbers_in_order_and_writes_the_same_letters(office, tmp_path):
    records = _records(7)
    one = render_many("don-doc", records, tmp_path / "one", office=office, db_path=tmp_path / "one.sqlite3", jobs=1)
    many = render_many("don-doc", records, tmp_path / "many", office=office, db_path=tmp_path / "many.sqlite3",
                       jobs=3)
    assert [d.number for d in many] == [d.number for d in one] == [f"{i:02d}" for i in range(1, 8)]
    for i, (a, b) in enumerate(zip(one, many)):
        assert _body(a.path) == _body(b.path)
        assert f"Sở số {i}" in _body(b.path) and f"Số: {i + 1:02d}" in _body(b.path)
    entries = list_entries(tmp_path / "many.sqlite3")
    assert [(e.number, Path(e.path).name) for e in entries] == [(i, f"don-doc-{i:03d}.docx") for i in range(1, 8)]
    assert not [p for p in (tmp_path / "many").iterdir() if p.name.startswith(".")]  # no temp file left

    with pytest.raises(Exception, match="đã tồn tại"):  # never over a letter without --force
        render_many("don-doc", records, tmp_path / "many", office=office, db_path=tmp_path / "many.sqlite3", jobs=3)
    again = render_many("don-doc", records, tmp_path / "many", office=office, db_path=tmp_path / "many.sqlite3",
                        jobs=3, force=True)
    assert [d.number for d in again] == [d.number for d in many]  # written again: the same numbers
    assert len(list_entries(tmp_path / "many.sqlite3")) == 7


def test_the_sandbox_limits_hold_in_the_worker_processes(office, tmp_path):
    """A template over a limit fails in a worker: Vietnamese error, no number kept, no file, no temp file."""
    templates = tmp_path / "mau"
    templates.mkdir()
    _edited(template_path("don-doc"), templates / "don-doc.docx", "word/document.xml",
            lambda xml: xml.replace("{{ subject }}", "{{ subject * 100000 }}", 1))
    out = tmp_path / "out"
    with pytest.raises(LimitError, match="mẫu vượt giới hạn an toàn"):
        render_many("don-doc", _records(5), out, office=office, db_path=tmp_path / "db.sqlite3",
                    template_dir=templates, jobs=2)
    assert list_entries(tmp_path / "db.sqlite3") == []
    assert not list(out.iterdir())


def test_a_broken_template_fails_before_any_number(office, tmp_path):
    templates = tmp_path / "mau"
    templates.mkdir()
    _edited(template_path("don-doc"), templates / "don-doc.docx", "word/document.xml",
            lambda xml: xml.replace("{{ subject }}", "{% if subject %}{{ subject }}", 1))
    with pytest.raises(ConfigError, match="cú pháp Jinja"):
        render_many("don-doc", _records(3), tmp_path / "out", office=office, db_path=tmp_path / "db.sqlite3",
                    template_dir=templates, jobs=2)
    assert not (tmp_path / "db.sqlite3").exists() or list_entries(tmp_path / "db.sqlite3") == []
