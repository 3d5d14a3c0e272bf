"""Every kind renders from its sample data into a .docx with the Nghị định 30 layout."""

from __future__ import annotations

import datetime as dt
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from vanban.errors import ConfigError
from vanban.generate import build_context, render_document, render_many
from vanban.generate.build_templates import build_all
from vanban.generate.render import template_path

from .conftest import KINDS, OFFICE_DIR, REPO, assert_properties_in_schema_order, sample_data


def all_paragraphs(document):
    """Body and table paragraphs in document order (header table first)."""
    body = document.element.body
    for p in body.iter(qn("w:p")):
        yield docx.text.paragraph.Paragraph(p, document)


def texts(document) -> list[str]:
    return [p.text for p in all_paragraphs(document)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, office):
    out = tmp_path_factory.mktemp("kinds")
    results = {}
    for kind in KINDS:
        data = sample_data(kind)
        data["number"] = "auto"
        results[kind] = render_document(kind, data, out / f"{kind}.docx", office=office, db_path=out / "db.sqlite3",
                                        data_path=OFFICE_DIR / f"{kind}.yaml")
    return results


@pytest.mark.parametrize("kind", KINDS)
def test_fields_put_in_come_out(rendered, office, kind):
    result = rendered[kind]
    data = sample_data(kind)
    document = docx.Document(str(result.path))
    lines = texts(document)
    joined = "\n".join(lines)
    assert f"Số: {result.number}/{result.symbol}" in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    if data.get("issued_by") == "van-phong":  # the sample return letter: the Văn phòng returns the dossier
        assert lines[:2] == ["UBND TỈNH LÂM ĐỒNG", "VĂN PHÒNG"]
    else:
        assert "ỦY BAN NHÂN DÂN" in lines and "TỈNH LÂM ĐỒNG" in lines
    date = dt.date.fromisoformat(str(data["date"]))
    assert result.date == date
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    assert f"Lâm Đồng, ngày {day} tháng {month} năm {date.year}" in lines
    signer = office.signer(data["signer"])
    assert signer.name in lines and signer.position in lines
    assert f"- Lưu: VT, {data['unit']}." in lines
    for item in data.get("distribution", []):
        assert f"- {item};" in lines
    recipients = data.get("recipients") or []
    if len(recipients) == 1:
        assert f"Kính gửi: {recipients[0]}" in lines
    elif recipients:
        assert "Kính gửi:" in lines
        assert [f"- {r};" for r in recipients[:-1]] + [f"- {recipients[-1]}."] == \
            [line for line in lines if line.lstrip("- ").rstrip(";.") in recipients and line.startswith("- ")]
    if kind in ("chi-thi", "bao-cao-nhiem-vu"):
        assert {"chi-thi": "CHỈ THỊ", "bao-cao-nhiem-vu": "BÁO CÁO"}[kind] in lines
        assert data["subject"] in lines
    else:
        assert f"V/v {data['subject']}" in lines
    # no Jinja tag survives rendering, no Python value leaks into the text
    assert "{{" not in joined and "{%" not in joined
    assert "None" not in joined


def test_symbols_follow_nd30(rendered):
    assert rendered["don-doc"].symbol == "UBND-TH"
    assert rendered["tra-ho-so"].symbol == "VP-KGVX"  # issued by the Văn phòng
    assert rendered["chi-thi"].symbol == "CT-UBND"
    assert rendered["bao-cao-nhiem-vu"].symbol == "BC-UBND"
    numbers = [rendered[k].number for k in KINDS]
    assert numbers == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("kind", KINDS)
def test_page_layout(rendered, kind):
    document = docx.Document(str(rendered[kind].path))
    section = document.sections[0]  # the report's body is portrait, its appendices landscape (sections[-1])
    width, height = Mm(210), Mm(297)
    if kind == "bao-cao-nhiem-vu":
        last = document.sections[-1]
        assert (abs(last.page_width - Mm(297)) < Mm(0.5)) and abs(last.page_height - Mm(210)) < Mm(0.5)
    assert abs(section.page_width - width) < Mm(0.5) and abs(section.page_height - height) < Mm(0.5)
    assert abs(section.top_margin - Mm(20)) < Mm(0.5)
    assert abs(section.bottom_margin - Mm(20)) < Mm(0.5)
    assert abs(section.left_margin - Mm(30)) < Mm(0.5)
    assert abs(section.right_margin - Mm(15)) < Mm(0.5)
    # page numbers: a PAGE field in the header, none on the first page
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(t.text or "" for t in section.header._element.iter(qn("w:instrText")))
    assert all("PAGE" not in (t.text or "") for t in section.first_page_header._element.iter(qn("w:instrText")))
    # Times New Roman in every run and every script slot
    for p in all_paragraphs(document):
        for run in p.runs:
            fonts = run._r.rPr.find(qn("w:rFonts"))
            assert fonts is not None
            for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                assert fonts.get(qn(slot)) == "Times New Roman"


def _paragraph(document, text):
    return next(p for p in all_paragraphs(document) if p.text == text)


def test_styles_of_the_components(rendered):
    document = docx.Document(str(rendered["don-doc"].path))
    national = _paragraph(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert national.runs[0].bold and national.runs[0].font.size.pt in (12, 13)
    motto = _paragraph(document, "Độc lập - Tự do - Hạnh phúc")
    assert motto.runs[0].bold and motto.runs[0].font.size.pt in (13, 14)
    # the rule under the motto is a border on the following paragraph, not underscores
    following = motto._p.getnext()
    assert following.find(qn("w:pPr")).find(qn("w:pBdr")) is not None
    date = next(p for p in all_paragraphs(document) if p.text.startswith("Lâm Đồng, ngày"))
    assert date.runs[0].italic and date.runs[0].font.size.pt in (13, 14)
    agency = _paragraph(document, "ỦY BAN NHÂN DÂN")
    assert agency.runs[0].bold and agency.runs[0].font.size.pt in (12, 13)
    number = next(p for p in all_paragraphs(document) if p.text.startswith("Số: "))
    assert not number.runs[0].bold and number.runs[0].font.size.pt == 13
    nhan = _paragraph(document, "Nơi nhận:")
    assert nhan.runs[0].bold and nhan.runs[0].italic and nhan.runs[0].font.size.pt == 12
    assert _paragraph(document, "- Lưu: VT, TH.").runs[0].font.size.pt == 11
    body = next(p for p in all_paragraphs(document) if p.text.startswith("Qua theo dõi"))
    fmt = body.paragraph_format
    assert body.runs[0].font.size.pt == 14
    assert fmt.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent.cm - 1.27) < 0.01
    assert fmt.space_after.pt >= 6
    assert 1.0 <= fmt.line_spacing <= 1.5
    for text in ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Hồng Nhung"):
        run = _paragraph(document, text).runs[0]
        assert run.bold and run.font.size.pt == 14


def test_tables_grow_with_the_data(tmp_path, office):
    data = sample_data("bao-cao-nhiem-vu")
    data["number"] = ""
    row = dict(data["groups"][0]["rows"][0])
    data["groups"][0]["rows"] = [dict(row, symbol=f"{i}/QĐ-UBND") for i in range(1, 41)]
    result = render_document("bao-cao-nhiem-vu", data, tmp_path / "bc.docx", office=office)
    document = docx.Document(str(result.path))
    detail = document.tables[-1]  # Phụ lục II, after the signature block and Phụ lục I
    symbols = [r.cells[1].text for r in detail.rows]
    assert [f"{i}/QĐ-UBND" for i in range(1, 41)] == [s for s in symbols if s.endswith("/QĐ-UBND") and
                                                      s.split("/")[0].isdigit() and int(s.split("/")[0]) <= 40]
    totals = document.tables[-2]
    assert [r.cells[0].text for r in totals.rows][1:] == ["Sở Tài chính", "Sở Xây dựng", "Tổng cộng"]
    assert totals.rows[-1].cells[1].text == "1.206" and totals.rows[-1].cells[-1].text == "19,1%"  # 222/1.163, from the counts
    # the total row stands out; unit rows do not
    assert all(run.bold for cell in totals.rows[-1].cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for run in totals.rows[1].cells[0].paragraphs[0].runs)
    # a draft keeps the number blank
    assert result.number is None
    assert any(p.text.startswith("Số:") and p.text.endswith("/BC-UBND") and p.text.replace(" ", "") == "Số:/BC-UBND"
               for p in all_paragraphs(document))


def test_chart_is_embedded(tmp_path, office):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chart = tmp_path / "chart.png"
    fig, ax = plt.subplots(figsize=(6, 2.5))
    ax.bar(["Đúng hạn", "Quá hạn"], [760, 222])
    fig.savefig(chart, dpi=80)
    plt.close(fig)
    data = sample_data("bao-cao-nhiem-vu")
    data["number"] = None
    data["chart"] = "chart.png"  # relative to the data file
    result = render_document("bao-cao-nhiem-vu", data, tmp_path / "bc.docx", office=office,
                             data_path=tmp_path / "data.yaml")
    with zipfile.ZipFile(result.path) as archive:
        assert any(n.startswith("word/media/") for n in archive.namelist())


def test_several_recipients_and_marks(tmp_path, office):
    data = sample_data("don-doc")
    data.update(number="7", recipients=["Sở Tài chính", "Sở Xây dựng", "UBND phường Xuân Hương - Đà Lạt"],
                secrecy="MẬT", urgency="HỎA TỐC")
    result = render_document("don-doc", data, tmp_path / "x.docx", office=office)
    lines = texts(docx.Document(str(result.path)))
    start = lines.index("Kính gửi:")
    assert lines[start + 1: start + 4] == ["- Sở Tài chính;", "- Sở Xây dựng;", "- UBND phường Xuân Hương - Đà Lạt."]
    assert "MẬT" in lines and "HỎA TỐC" in lines
    assert "Số: 07/UBND-TH" in lines


def test_context_is_a_pure_function_of_the_data(office):
    data = sample_data("phe-binh")
    first = build_context("phe-binh", data, office, number="05", date=dt.date(2026, 2, 9))
    second = build_context("phe-binh", data, office, number="05", date=dt.date(2026, 2, 9))
    assert first == second
    assert first["signer"] == {"authority": "TM. ỦY BAN NHÂN DÂN", "position": "CHỦ TỊCH", "name": "Trần Minh Khoa"}
    assert data == sample_data("phe-binh")  # the input is not modified


def test_office_templates_override_shipped_ones(tmp_path, office):
    own = tmp_path / "mau"
    build_all(own)
    assert template_path("don-doc", own) == own / "don-doc.docx"
    assert template_path("don-doc", None) == REPO / "templates" / "don-doc.docx"
    (own / "don-doc.docx").unlink()
    assert template_path("don-doc", own) == REPO / "templates" / "don-doc.docx"


def test_shipped_templates_are_what_the_builder_makes(tmp_path):
    """templates/ is generated by build_templates: the committed files match a fresh build."""
    build_all(tmp_path)
    for kind in KINDS:
        with zipfile.ZipFile(tmp_path / f"{kind}.docx") as fresh, \
                zipfile.ZipFile(REPO / "templates" / f"{kind}.docx") as shipped:
            assert fresh.read("word/document.xml") == shipped.read("word/document.xml"), kind


def test_batch_and_merge(tmp_path, office, db):
    base = sample_data("don-doc")
    records = [dict(base, unit_name=name, recipients=[name], number="auto")
               for name in ("Sở Tài chính", "Sở Xây dựng", "Sở Y tế")]
    merged = tmp_path / "in.docx"
    results = render_many("don-doc", records, tmp_path / "out", office=office, db_path=db, merge=merged,
                          name_field="unit_name")
    assert [r.path.name for r in results] == ["Sở-Tài-chính.docx", "Sở-Xây-dựng.docx", "Sở-Y-tế.docx"]
    assert [r.number for r in results] == ["01", "02", "03"]
    document = docx.Document(str(merged))
    lines = texts(document)
    for r, name in zip(results, ("Sở Tài chính", "Sở Xây dựng", "Sở Y tế")):
        assert f"Kính gửi: {name}" in lines
        assert f"Số: {r.number}/UBND-TH" in lines
    # each letter is its own section, page numbers restart
    assert len(document.sections) == 3
    starts = [s._sectPr.find(qn("w:pgNumType")) for s in document.sections]
    assert all(s is not None and s.get(qn("w:start")) == "1" for s in starts)


def test_batch_validates_every_record_before_numbering(tmp_path, office, db):
    from vanban.generate.register import list_entries

    good = sample_data("don-doc")
    bad = dict(good)
    del bad["unit_name"]
    with pytest.raises(ConfigError, match=r"records\[1\].*unit_name"):
        render_many("don-doc", [good, bad], tmp_path / "out", office=office, db_path=db)
    assert not (tmp_path / "out").exists()
    assert list_entries(db) == []


def test_cong_van_ends_with_the_end_mark_once(tmp_path, office):
    for last in ("Đề nghị các cơ quan thực hiện.", "Đề nghị các cơ quan thực hiện", "Đề nghị các cơ quan thực hiện./."):
        data = dict(sample_data("cong-van"), number="", paragraphs=["Mở đầu.", last])
        result = render_document("cong-van", data, tmp_path / "cv.docx", office=office, force=True)
        body = [p.text for p in docx.Document(str(result.path)).paragraphs if p.text]
        assert body[-1] == "Đề nghị các cơ quan thực hiện./."
        assert "Mở đầu." in body


@pytest.mark.parametrize("kind", KINDS)
def test_properties_in_schema_order_without_duplicates(rendered, kind):
    assert_properties_in_schema_order(rendered[kind].path)
