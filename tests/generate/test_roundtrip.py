"""What the generator writes, vanban's own reader and understanding layer read back,
and the Nghị định 30 format checks pass on it."""

from __future__ import annotations

import importlib

import pytest

from vanban.generate import render_document
from vanban.generate.render import kind_spec
from vanban.text import fold, squash_spaces

from .conftest import KINDS, OFFICE_DIR, sample_data


def _api(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        pytest.skip(f"{module}.{name} chưa có: kiểm thử đọc lại sẽ chạy khi bộ đọc/phân tích được đưa vào")


@pytest.fixture(scope="module")
def understood(tmp_path_factory, office):
    read_file = _api("vanban.read", "read_file")
    understand = _api("vanban.understand", "understand")
    out = tmp_path_factory.mktemp("roundtrip")
    results = {}
    for kind in KINDS:
        generated = render_document(kind, sample_data(kind), out / f"{kind}.docx", office=office,
                                    db_path=out / "db.sqlite3", data_path=OFFICE_DIR / f"{kind}.yaml")
        results[kind] = (generated, understand(read_file(generated.path)))
    return results


def _same(a: str | None, b: str) -> bool:
    return a is not None and fold(squash_spaces(a)) == fold(squash_spaces(b))


@pytest.mark.parametrize("kind", KINDS)
def test_fields_read_back(understood, office, kind):
    generated, document = understood[kind]
    data = sample_data(kind)
    assert document.number is not None
    assert document.number.number == generated.number
    assert document.number.symbol == generated.symbol
    assert document.date is not None and document.date.date == generated.date
    assert document.date.place == office.place
    assert document.issuing_agency is not None
    if data.get("issued_by") == "van-phong":  # VĂN PHÒNG under its parent UBND TỈNH LÂM ĐỒNG
        assert document.issuing_agency.text == "VĂN PHÒNG"
        assert document.parent_agency is not None and "LÂM ĐỒNG" in document.parent_agency.text.upper()
    else:
        assert "LÂM ĐỒNG" in document.issuing_agency.text.upper()
    assert document.doc_type == kind_spec(kind).doc_type
    assert document.subject is not None
    subject = document.subject.text
    if subject.startswith("V/v "):
        subject = subject[4:]
    assert _same(subject, data["subject"])
    assert [squash_spaces(r).rstrip(";.") for r in document.recipients] == data.get("recipients", [])
    signer = office.signer(data["signer"])
    assert document.signature is not None
    assert document.signature.signer_name == signer.name
    assert document.signature.position == signer.position
    assert document.archive is not None and data["unit"] in document.archive
    assert document.marks.urgency == data.get("urgency")
    assert document.marks.secrecy == data.get("secrecy")


@pytest.mark.parametrize("kind", KINDS)
def test_format_checks_pass(understood, kind):
    check_format = _api("vanban.check.rules.format", "check_format")
    _, document = understood[kind]
    findings = check_format(document)
    assert findings == [], [getattr(f, "message", f) for f in findings]


@pytest.fixture(scope="module")
def raw_documents(tmp_path_factory, office):
    read_file = _api("vanban.read", "read_file")
    out = tmp_path_factory.mktemp("raw")
    return {kind: read_file(render_document(kind, sample_data(kind), out / f"{kind}.docx", office=office,
                                            db_path=out / "db.sqlite3", data_path=OFFICE_DIR / f"{kind}.yaml").path)
            for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_layout_facts_read_back(raw_documents, kind):
    """Page, margins, fonts, sizes and the motto as vanban's own reader sees them."""
    raw = raw_documents[kind]
    page = raw.pages[0]  # the report's appendices are a second, landscape section
    assert len(raw.pages) == (2 if kind == "bao-cao-nhiem-vu" else 1)
    size = (210.0, 297.0)
    assert (round(page.width_mm), round(page.height_mm)) == size
    assert (page.margin_top_mm, page.margin_bottom_mm, page.margin_left_mm, page.margin_right_mm) == (20, 20, 30, 15)
    assert page.has_page_numbers and page.page_number_on_first_page is False
    fonts = {run.style.font for block in raw.blocks for run in block.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}
    by_text = {block.text: block for block in raw.blocks}
    motto = by_text["Độc lập - Tự do - Hạnh phúc"]
    assert motto.is_bold and motto.alignment == "center"
    after_motto = raw.blocks[raw.blocks.index(motto) + 1]
    assert after_motto.has_bottom_border and after_motto.text == ""
    date = next(b for b in raw.blocks if b.text.startswith("Lâm Đồng, ngày"))
    assert date.is_italic and {r.style.size_pt for r in date.runs} == {14.0}
    body = [b for b in raw.blocks if b.location.part == "body" and b.alignment == "justify" and b.text.strip()]
    assert body and all(b.first_line_indent_cm and abs(b.first_line_indent_cm - 1.27) < 0.01 for b in body)
    assert all({r.style.size_pt for r in b.runs if r.text.strip()} == {14.0} for b in body)
    assert all(b.space_after_pt is not None and b.space_after_pt >= 6 for b in body)


@pytest.mark.parametrize("kind", KINDS)
def test_format_rules_on_the_layout_alone(raw_documents, kind):
    """The checker's Nghị định 30 format rules (page, margins, fonts, sizes, motto, national title) pass on
    the layout as read, independently of the understanding layer."""
    check_format = _api("vanban.check.rules.format", "check_format")
    from vanban.model import Document, LocatedText

    raw = raw_documents[kind]
    by_text = {block.text: block for block in raw.blocks}
    title = by_text["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    motto = by_text["Độc lập - Tự do - Hạnh phúc"]
    document = Document(source=raw, national_title=LocatedText(title.text, title.location),
                        motto=LocatedText(motto.text, motto.location))
    findings = check_format(document)
    assert findings == [], [getattr(f, "message", f) for f in findings]


def test_secret_and_urgent_marks_read_back(tmp_path, office):
    read_file = _api("vanban.read", "read_file")
    understand = _api("vanban.understand", "understand")
    data = dict(sample_data("don-doc"), number="auto", secrecy="MẬT", urgency="HỎA TỐC")
    generated = render_document("don-doc", data, tmp_path / "mat.docx", office=office, db_path=tmp_path / "db")
    document = understand(read_file(generated.path))
    assert (document.marks.secrecy, document.marks.urgency) == ("MẬT", "HỎA TỐC")
    assert document.number.number == "01"  # the secret series starts its own count
