"""``vanban check … --return-letter``: a draft công văn trả hồ sơ for each returned dossier, written by the
code from the sample dossiers, read back with vanban's own reader and checked against ND30's format rules."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.check.engine import CheckSettings, Checker
from vanban.check.report.per_dossier import Skip
from vanban.check.report.return_letter import return_issuer, return_letter_data, return_signer
from vanban.check.rules.format import check_format
from vanban.cli import main
from vanban.generate import load_office
from vanban.read import read_file
from vanban.understand import understand

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "fixtures" / "office" / "vanban.yaml"
SAMPLES = REPO / "fixtures" / "dossiers"


@pytest.fixture(scope="module")
def letters(tmp_path_factory, pipeline):
    work = tmp_path_factory.mktemp("tra-ho-so")
    dossiers = work / "ho-so"
    shutil.copytree(SAMPLES, dossiers)
    out = work / "cong-van"
    result = CliRunner().invoke(main, ["check", str(dossiers), "--return-letter", str(out), "--office", str(OFFICE),
                                       "--review-unit", "TH", "-j", "1"])
    return result, out


def test_one_letter_per_returned_dossier_only(letters):
    result, out = letters
    assert result.exit_code == 1, result.output  # two dossiers are returned
    assert sorted(p.name for p in out.iterdir()) == [
        "02 Thiếu dự thảo - Tờ trình 12 SNV-tra-ho-so.docx",
        "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV-tra-ho-so.docx",
    ]
    assert result.stderr.count("Đã soạn công văn trả hồ sơ:") == 2


def test_the_letter_names_the_submission_and_its_faults(letters):
    _, out = letters
    path = out / "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV-tra-ho-so.docx"
    document = understand(read_file(path))
    assert document.doc_type == "Công văn" and document.number.number is None  # a draft: the number stays blank
    # the Văn phòng returns dossiers: its own header and symbol, signed by the Chánh Văn phòng
    assert document.number.symbol == "VP-TH"
    assert "VĂN PHÒNG" in document.issuing_agency.text
    assert document.recipients == ("Sở Nội vụ",)
    assert document.subject.text == "V/v trả hồ sơ tờ trình số 15/TTr-SNV"
    assert document.signature.signer_name == "Nguyễn Thanh Hải"
    assert document.signature.position == "CHÁNH VĂN PHÒNG"
    body = "\n".join(b.text for b in document.source.blocks)
    assert ("Văn phòng UBND tỉnh nhận được Tờ trình số 15/TTr-SNV ngày 06/01/2026 của Sở Nội vụ về ban hành "
            "Kế hoạch") in body
    assert ("Căn cứ Quy chế làm việc của UBND tỉnh, Văn phòng UBND tỉnh chuyển trả hồ sơ và đề nghị Sở Nội vụ "
            "hoàn thiện theo các nội dung nêu trên để UBND tỉnh xem xét, giải quyết theo quy định./.") in body
    assert "1. Căn cứ “Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015”" in body
    assert "nay là Luật Tổ chức chính quyền địa phương số 72/2025/QH15;" in body
    assert "2. Văn bản trình do “Lê Thị Cúc” ký với chức vụ “PHÓ GIÁM ĐỐC” mà không ghi “KT.”; cấp phó" in body
    assert "VB203" not in body and "VB401" not in body  # the agency reads sentences, not rule codes
    # nor file names, the tool's own words, or programmer punctuation
    assert not any(x in body for x in (".docx", "tệp ", "xét tại ngày", "—", "'", "«"))
    assert document.distribution == ("Như trên", "Lãnh đạo UBND tỉnh (để báo cáo)") and document.archive == "VT, TH"


def test_the_ubnd_can_return_it_itself(letters, tmp_path, pipeline):
    dossier = tmp_path / "ho-so"
    shutil.copytree(SAMPLES / "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV", dossier)
    out = tmp_path / "cv.docx"
    result = CliRunner().invoke(main, ["check", str(dossier), "--return-letter", str(out), "--office", str(OFFICE),
                                       "--review-unit", "TH", "--signer", "pct-tong-hop"])
    assert result.exit_code == 1, result.output
    document = understand(read_file(out))
    assert document.number.symbol == "UBND-TH" and document.signature.signer_name == "Lê Thị Hồng Nhung"
    body = "\n".join(b.text for b in document.source.blocks)
    assert "UBND tỉnh nhận được Tờ trình số 15/TTr-SNV" in body and "Văn phòng UBND tỉnh" not in body
    assert document.distribution == ("Như trên",)


def test_the_letter_passes_the_format_rules(letters):
    _, out = letters
    for path in out.iterdir():
        problems = check_format(understand(read_file(path)))
        assert not problems, (path.name, problems)


def test_no_letter_without_a_submission_to_answer(pipeline, tmp_path):
    from build_dossiers import draft_plan, write_docx

    folder = tmp_path / "chỉ có dự thảo"
    write_docx(draft_plan(), folder / "Dự thảo Kế hoạch.docx")
    result = Checker(CheckSettings()).check(folder)
    # only a draft of the People's Committee: nothing to return, a person looks (exit code 7)
    assert result.decision.outcome == "can_xem"
    with pytest.raises(Skip):
        return_letter_data(result, unit="TH", signer="pct-tong-hop", date=dt.date(2026, 1, 9))
    out = tmp_path / "ra"
    cli = CliRunner().invoke(main, ["check", str(folder), "--return-letter", str(out / "cv.docx"),
                                    "--office", str(OFFICE)])
    assert cli.exit_code == 7 and not (out / "cv.docx").exists()
    assert "CẦN XEM TRỰC TIẾP" in cli.output
    assert not out.exists() or not any(out.iterdir())


def test_signer_choice():
    office = load_office(OFFICE)
    assert return_signer(office, None) == "chanh-van-phong"  # the Văn phòng returns dossiers
    assert return_issuer(office, "chanh-van-phong") == "van-phong"
    assert return_issuer(office, "pho-chanh-van-phong") == "van-phong"  # KT. CHÁNH VĂN PHÒNG
    assert return_signer(office, "chu-tich") == "chu-tich" and return_issuer(office, "chu-tich") == "ubnd"
    # an office profile without the Văn phòng's leaders: the first deputy chair who signs KT.
    from dataclasses import replace

    chairs = replace(office, signers=tuple(s for s in office.signers if "VĂN PHÒNG" not in s.position))
    assert return_signer(chairs, None) == "pct-tong-hop"
    from vanban.errors import ConfigError

    with pytest.raises(ConfigError, match="giam-doc"):
        return_signer(office, "giam-doc")


def test_usage_errors(tmp_path):
    runner = CliRunner()
    alone = runner.invoke(main, ["check", str(SAMPLES), "--signer", "chu-tich"])
    assert alone.exit_code == 2 and "--signer chỉ dùng cùng --return-letter" in alone.output
    batch_file = runner.invoke(main, ["check", str(SAMPLES), "--return-letter", str(tmp_path / "x.docx")])
    assert batch_file.exit_code == 2 and "--return-letter phải là một thư mục" in batch_file.output
