"""``vanban check PATH --review-form OUT``: one dossier → OUT.docx, a batch → a folder with one
``<dossier>-phieu-trinh.docx`` each; nothing overwritten without --force; a failure for one dossier
does not stop the others; errors in Vietnamese with the exit codes of vanban.errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from vanban.check.report.review_form import form_file_name
from vanban.cli import main
from vanban.read import read_file

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "fixtures" / "office" / "vanban.yaml"


def _lines(path: Path) -> list[str]:
    return [b.text for b in read_file(path).blocks]


def _copy_fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "dossiers"
    shutil.copytree(REPO / "fixtures" / "dossiers", target)
    return target


def test_one_dossier_one_file_never_overwritten_without_force(tmp_path, pipeline):
    dossier = _copy_fixtures(tmp_path) / "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV"
    out = tmp_path / "ra" / "phiếu 15.docx"
    args = ["check", str(dossier), "--review-form", str(out), "--office", str(OFFICE), "--review-unit", "NC"]
    runner = CliRunner()
    first = runner.invoke(main, args)
    assert first.exit_code == 1, first.output  # the dossier is returned; the form is written all the same
    assert f"Đã lập phiếu trình: {out}" in first.stderr
    assert "HỒ SƠ: 03 Căn cứ" in first.stdout and "phiếu trình" not in first.stdout
    assert "1. Văn bản/cơ quan, đơn vị: Tờ trình số 15/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ." in _lines(out)
    written = out.read_bytes()
    again = runner.invoke(main, args)
    assert again.exit_code == 4 and "tệp đã tồn tại; dùng --force để ghi đè" in again.stderr
    assert out.read_bytes() == written
    forced = runner.invoke(main, [*args, "--force"])
    assert forced.exit_code == 1, forced.output
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left behind


def test_batch_one_form_per_dossier_and_a_failure_does_not_stop_it(tmp_path, pipeline):
    fixtures = _copy_fixtures(tmp_path)
    (fixtures / "05 hỏng.zip").write_bytes(b"PK\x03\x04 not a zip")
    out = tmp_path / "phieu"
    out.mkdir()
    taken = out / form_file_name("02 Thiếu dự thảo - Tờ trình 12 SNV")
    taken.write_bytes(b"do not touch")
    result = CliRunner().invoke(main, ["check", str(fixtures), "--review-form", str(out), "-j", "2",
                                       "--office", str(OFFICE)])
    assert result.exit_code == 3, result.output  # a dossier could not be read at all
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(form_file_name(n) for n in ("01 Hồ sơ đầy đủ - Tờ trình 05 SNV",
                                                        "02 Thiếu dự thảo - Tờ trình 12 SNV",
                                                        "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV",
                                                        "04 Hồ sơ nén - Tờ trình 21 SNV"))
    assert taken.read_bytes() == b"do not touch"
    assert "Lỗi: hồ sơ '02 Thiếu dự thảo - Tờ trình 12 SNV'" in result.stderr
    assert "Lỗi: hồ sơ '05 hỏng'" in result.stderr and "không kiểm tra được" in result.stderr
    zipped = _lines(out / form_file_name("04 Hồ sơ nén - Tờ trình 21 SNV"))
    assert "1. Văn bản/cơ quan, đơn vị: Tờ trình số 21/TTr-SNV ngày 06 tháng 01 năm 2026 của Sở Nội vụ." in zipped
    # the default phòng xử lý chính is the first unit of the office profile
    assert any(re.fullmatch(r"Số:\s+/PT-TH", line) for line in zipped)


def test_batch_output_error_exit_code(tmp_path, pipeline):
    fixtures = _copy_fixtures(tmp_path)
    (fixtures / "04 Hồ sơ nén - Tờ trình 21 SNV.zip").unlink()
    out = tmp_path / "phieu"
    out.mkdir()
    (out / form_file_name("01 Hồ sơ đầy đủ - Tờ trình 05 SNV")).write_bytes(b"x")
    result = CliRunner().invoke(main, ["check", str(fixtures), "--review-form", str(out)])
    assert result.exit_code == 4, result.output
    assert len(list(out.iterdir())) == 3


def test_review_form_usage_errors(tmp_path):
    fixtures = _copy_fixtures(tmp_path)
    one = fixtures / "01 Hồ sơ đầy đủ - Tờ trình 05 SNV"
    runner = CliRunner()
    not_docx = runner.invoke(main, ["check", str(one), "--review-form", str(tmp_path / "phieu.pdf")])
    assert not_docx.exit_code == 2 and "--review-form cần tệp .docx" in not_docx.output
    a_file = tmp_path / "a.txt"
    a_file.write_text("x", encoding="utf-8")
    batch_to_file = runner.invoke(main, ["check", str(fixtures), "--review-form", str(a_file)])
    assert batch_to_file.exit_code == 4 and "phải là một thư mục" in batch_to_file.output
    batch_to_docx = runner.invoke(main, ["check", str(fixtures), "--review-form", str(tmp_path / "p.docx")])
    assert batch_to_docx.exit_code == 2
    alone = runner.invoke(main, ["check", str(one), "--office", str(OFFICE)])
    assert alone.exit_code == 2 and "chỉ dùng cùng --review-form" in alone.output
    unknown = runner.invoke(main, ["check", str(one), "--review-form", str(tmp_path / "p.docx"), "--office",
                                   str(OFFICE), "--review-unit", "XYZ"])
    assert unknown.exit_code == 5 and "không có phòng 'XYZ'" in unknown.output
    assert not (tmp_path / "p.docx").exists()


def test_existing_folder_for_one_dossier(tmp_path, pipeline):
    one = _copy_fixtures(tmp_path) / "01 Hồ sơ đầy đủ - Tờ trình 05 SNV"
    out = tmp_path / "phieu"
    out.mkdir()
    result = CliRunner().invoke(main, ["check", str(one), "--review-form", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the report on stdout stays clean JSON; the form's message goes to stderr
    assert [p.name for p in out.iterdir()] == [form_file_name(one.name)]
