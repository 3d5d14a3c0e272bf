"""``vanban inspect``: text and JSON output on real files, and a clear Vietnamese error (with its exit
code) for each kind of bad file while the good files of the same call are still printed."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument

from vanban.cli import main
from vanban.errors import EXIT_INPUT
from vanban.resources import load_schema

from understand.builders import TAB_LAID, build_to_trinh


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inspect")
    good = build_to_trinh(folder / "to-trinh.docx")
    tab = folder / "519.txt"
    tab.write_text(TAB_LAID, encoding="utf-8")
    empty = folder / "rong.docx"
    empty.write_bytes(b"")
    corrupt = folder / "hong.docx"
    corrupt.write_bytes(b"PK\x03\x04 day khong phai tep docx")
    return {"good": good, "tab": tab, "empty": empty, "corrupt": corrupt, "folder": folder}


def _invoke(*args):
    return CliRunner().invoke(main, ["inspect", *map(str, args)])


def test_text_summary(files):
    result = _invoke(files["good"])
    assert result.exit_code == 0, result.output
    out = result.output
    for line in ("Loại văn bản: Tờ trình", "Số, ký hiệu: 05/TTr-SNV", "Ngày: Lâm Đồng, 06/01/2026",
                 "Cơ quan chủ quản: UBND TỈNH LÂM ĐỒNG", "Cơ quan ban hành: SỞ NỘI VỤ",
                 "Trích yếu: Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng",
                 "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng",
                 "- Nghị định số 30/2020/NĐ-CP ngày 05/03/2020 của Chính phủ — về công tác văn thư",
                 "Người ký: Trần Hữu Tuấn — KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                 "Nơi nhận: Như trên; Lãnh đạo Sở; Lưu: VT, CCHC"):
        assert line in out, (line, out)
    assert "Kiến nghị/đề xuất:" in out and "[chung chung]" not in out


def test_json_validates_against_the_schema(files):
    result = _invoke("--format", "json", files["good"], files["tab"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.Draft202012Validator(load_schema("document.schema.json")).validate(data)
    first, second = data["files"]
    assert first["number"]["number"] == "05" and first["number"]["symbol"] == "TTr-SNV"
    assert first["date"]["date"] == "2026-01-06"
    assert first["signature"]["authority_mark"] == "KT."
    assert first["issuing_agency"]["location"]["part"] == "table"
    assert second["number"]["unit"] == "PC06" and second["recommendations"][0]["vague"] is True
    assert [c["symbol"] for c in first["legal_bases"]] == [None, "30/2020/NĐ-CP", "1457/QĐ-UBND"]


def test_schema_rejects_a_wrong_document(files):
    data = json.loads(_invoke("--format", "json", files["good"]).output)
    data["files"][0]["marks"]["secrecy"] = "BÍ MẬT"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema("document.schema.json")).validate(data)


@pytest.mark.parametrize("kind, message", [
    ("empty", "tệp rỗng"),
    ("corrupt", "bị hỏng"),
    ("missing", "không tìm thấy tệp"),
])
def test_bad_file_is_reported_and_others_still_printed(files, kind, message):
    bad = files["folder"] / "khong-co.docx" if kind == "missing" else files[kind]
    result = _invoke(files["good"], bad)
    assert result.exit_code == EXIT_INPUT
    assert "Cơ quan ban hành: SỞ NỘI VỤ" in result.stdout
    assert f"Lỗi: {bad}: " in result.stderr and message in result.stderr


def test_encrypted_file(files):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool (MIT) builds the encrypted file")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = files["folder"] / "plain.docx"
    doc = DocxDocument()
    doc.add_paragraph("Tài liệu có mật khẩu")
    doc.save(plain)
    locked = files["folder"] / "mat-khau.docx"
    with open(plain, "rb") as src, open(locked, "wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    result = _invoke("--format", "json", locked, files["tab"])
    assert result.exit_code == EXIT_INPUT
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(load_schema("document.schema.json")).validate(data)
    failure, ok = data["files"]
    assert "mật khẩu" in failure["error"]["message"] and failure["error"]["exit_code"] == EXIT_INPUT
    assert ok["number"]["number"] == "519"


def test_inspect_needs_a_file():
    result = CliRunner().invoke(main, ["inspect"])
    assert result.exit_code == 2


@pytest.mark.parametrize("sentence, shown", [
    ("Sở Nội vụ kính trình Chủ tịch UBND tỉnh xem xét, ban hành Kế hoạch (đính kèm dự thảo Kế hoạch).",
     "dự thảo Kế hoạch"),
    ("Sở Nội vụ kính trình Chủ tịch UBND tỉnh xem xét, quyết định. (Có dự thảo Quyết định kèm theo)",
     "dự thảo Quyết định"),
    # an annex of a cited decree is not a file of this dossier: the whole sentence is shown
    ("Điều lệ đã sửa theo Mẫu số 09 Phụ lục II kèm theo Nghị định số 126/2024/NĐ-CP.",
     "Điều lệ đã sửa theo Mẫu số 09 Phụ lục II kèm theo Nghị định số 126/2024/NĐ-CP."),
])
def test_text_summary_names_what_is_attached(sentence, shown):
    from vanban.understand.report import _attachment_phrase

    assert _attachment_phrase(sentence) == shown


def test_attachments_in_the_text_summary():
    repo = Path(__file__).resolve().parents[1]
    submission = next((repo / "fixtures" / "dossiers").glob("01 */Tờ trình*.docx"))
    lines = _invoke(submission).output.splitlines()
    assert lines[lines.index("  Tài liệu kèm theo:") + 1] == "    - dự thảo Kế hoạch"
