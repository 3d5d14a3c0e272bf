"""Bad input: corrupt, encrypted, empty, oversized files; hostile zips; odd names.
Nothing crashes, inputs are unchanged, nothing is written outside the output folder."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

import pytest

import build_dossiers as bd
from build_dossiers import comment_letter, draft_plan, submission, write_docx
from check_helpers import findings_of, rule_ids
from vanban.check.collect import Limits, collect_folder, collect_zip, member_name


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _docx_bytes(tmp_path: Path, spec, name="x.docx") -> bytes:
    path = write_docx(spec, tmp_path / "_build" / name)
    return path.read_bytes()


# ---------------------------------------------------------------- zip safety (no pipeline needed)

def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def test_hostile_zip_members_are_refused_one_by_one(tmp_path):
    link = zipfile.ZipInfo("link.docx")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = tmp_path / "hostile.zip"
    archive.write_bytes(_zip([
        ("../../escape.txt", b"out"), ("/abs/evil.txt", b"abs"), (link, b"/etc/passwd"),
        ("bomb.txt", b"\0" * (20 * 1024 * 1024)), ("Tờ trình số 05.txt", b"ok"),
    ]))
    dest = tmp_path / "out"
    dest.mkdir()
    coll = collect_zip(archive, dest, Limits(max_ratio=100))
    refused = {f.name: f.refused for f in coll.files if f.refused}
    assert set(refused) == {"../../escape.txt", "/abs/evil.txt", "link.docx", "bomb.txt"}
    assert "bom zip" in refused["bomb.txt"]
    assert "'..'" in refused["../../escape.txt"]
    kept = [f for f in coll.files if not f.refused]
    assert [f.name for f in kept] == ["Tờ trình số 05.txt"]
    assert not (tmp_path / "escape.txt").exists() and not Path("/abs/evil.txt").exists()
    assert {p.name for p in dest.rglob("*") if p.is_file()} == {"Tờ trình số 05.txt"}


def test_zip_limits_on_members_and_total(tmp_path):
    archive = tmp_path / "many.zip"
    archive.write_bytes(_zip([(f"f{i}.txt", b"x" * 1000) for i in range(6)]))
    dest = tmp_path / "out"
    dest.mkdir()
    coll = collect_zip(archive, dest, Limits(max_members=4, max_total_bytes=2500))
    reasons = [f.refused for f in coll.files]
    assert sum(1 for r in reasons if r and "quá nhiều" in r) == 2
    assert sum(1 for r in reasons if r and "tổng dung lượng" in r) == 2


def test_zip_names_cp437_and_utf8(tmp_path):
    name = "Tờ trình đề nghị.docx"
    flagged = zipfile.ZipInfo(name)  # zipfile sets the UTF-8 flag for non-ASCII names
    raw_utf8 = zipfile.ZipInfo(name.encode("utf-8").decode("cp437"))  # a tool that wrote UTF-8 without the flag
    assert member_name(flagged) == name
    assert member_name(raw_utf8) == name


def test_folder_symlinks_are_not_followed(tmp_path):
    folder = tmp_path / "hs"
    folder.mkdir()
    (folder / "a.txt").write_text("x")
    (folder / "link.txt").symlink_to("/etc/hostname")
    coll = collect_folder(folder)
    refused = {f.name: f.refused for f in coll.files}
    assert refused["a.txt"] is None and "symlink" in refused["link.txt"]


# ---------------------------------------------------------------- through the pipeline

def test_corrupt_encrypted_empty_oversized_files(tmp_path, make_dossier, check, checker_factory):
    from vanban.check.collect import Limits as L
    from vanban.check.engine import CheckSettings, Checker

    folder = make_dossier({
        "Tờ trình.docx": submission(), "Dự thảo Kế hoạch.docx": draft_plan(), "Góp ý.docx": comment_letter(),
        "hỏng.docx": b"PK\x03\x04 this is not a zip at all",
        "rỗng.pdf": b"",
        "mật khẩu.pdf": _encrypted_pdf(),
        "lớn.doc": b"\xd0\xcf\x11\xe0" + b"0" * 3_000_000,
        "Bảng tổng hợp.xlsx": b"PK\x05\x06" + b"\0" * 18,
    })
    before = tree_hashes(folder)
    checker = Checker(CheckSettings(limits=L(max_file_bytes=2_000_000)))
    result = checker.check(folder)
    after = tree_hashes(folder)
    assert before == after
    bad = {f.file: f.message for f in findings_of(result, "VB001")}
    assert set(bad) == {"hỏng.docx", "rỗng.pdf", "mật khẩu.pdf", "lớn.doc"}, bad
    assert "rỗng" in bad["rỗng.pdf"]
    assert "quá lớn" in bad["lớn.doc"]
    roles = {f.name: f.role for f in result.files}
    assert roles["Bảng tổng hợp.xlsx"] == "supporting"
    assert roles["Tờ trình.docx"] == "submission"
    assert result.decision.outcome == "chuyen_tra"


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="mat-khau", owner_password="chu")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_zip_dossier_with_vietnamese_names_and_bad_members(tmp_path, check):
    archive = tmp_path / "Hồ sơ trình số 05.zip"
    archive.write_bytes(_zip([
        ("Hồ sơ/Tờ trình ban hành kế hoạch.docx", _docx_bytes(tmp_path, submission())),
        ("Hồ sơ/Dự thảo Kế hoạch.docx", _docx_bytes(tmp_path, draft_plan(), "d.docx")),
        ("Hồ sơ/Góp ý Sở Tài chính.docx", _docx_bytes(tmp_path, comment_letter(), "c.docx")),
        ("../ngoài.txt", b"x"),
    ]))
    before = archive.read_bytes()
    result = check(archive)
    assert archive.read_bytes() == before
    assert not (tmp_path / "ngoài.txt").exists()
    assert [f.file for f in findings_of(result, "VB002")] == ["../ngoài.txt"]
    roles = {f.name: f.role for f in result.files}
    assert roles["Hồ sơ/Tờ trình ban hành kế hoạch.docx"] == "submission"
    assert roles["Hồ sơ/Dự thảo Kế hoạch.docx"] == "draft"
    assert result.submission.number == "05/TTr-SNV"


def test_folder_without_a_submission(make_dossier, check):
    result = check(make_dossier({"ghi chú.txt": "Danh sách đại biểu dự họp.\n".encode()}))
    assert "VB101" in rule_ids(result, "error")
    # a missing submission may have been sent separately: a person looks, nothing is returned unseen
    assert result.decision.outcome == "can_xem" and result.kind == "no_submission"


def test_missing_path_is_a_failed_dossier_not_a_crash(tmp_path, check):
    result = check(tmp_path / "không có")
    assert result.failed and result.decision.outcome == "can_xem"


def test_a_file_named_zip_that_is_not_one_is_a_failed_dossier_in_vietnamese(tmp_path, check):
    fake = tmp_path / "Hồ sơ 07.zip"
    fake.write_bytes(b"PK\x03\x04 not a zip")
    result = check(fake)
    assert result.failed and result.decision.outcome == "can_xem"
    assert "tệp hỏng hoặc không phải tệp nén .zip" in result.failed
    assert "zip file" not in result.failed  # no English from Python's zipfile


def test_doc_files_of_a_dossier_are_converted_in_one_libreoffice_start(tmp_path, soffice, checker_factory,
                                                                      monkeypatch):
    """Each LibreOffice start costs seconds: a dossier's .doc files go through one start."""
    import subprocess

    build = tmp_path / "build"
    sources = [write_docx(submission(), build / "Tờ trình.docx"), write_docx(draft_plan(), build / "Dự thảo.docx")]
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path / "hồ sơ"), *map(str, sources)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    dossier_dir = tmp_path / "hồ sơ"
    assert sorted(p.name for p in dossier_dir.iterdir()) == ["Dự thảo.doc", "Tờ trình.doc"]

    starts = tmp_path / "starts.log"
    wrapper = tmp_path / "soffice-counting"
    wrapper.write_text(f'#!/bin/sh\necho start >> "{starts}"\nexec "{soffice}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("VANBAN_SOFFICE", str(wrapper))
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))

    result = checker_factory().check(dossier_dir)
    assert starts.read_text().count("start") == 1
    roles = {f.name: f.role for f in result.files}
    assert roles == {"Tờ trình.doc": "submission", "Dự thảo.doc": "draft"}, roles


def test_corrupt_and_password_protected_zip_members_are_named_in_vietnamese(tmp_path):
    body = b"Noi dung to trinh " * 400
    archive = _zip([("Tờ trình.docx", body), ("Dự thảo.docx", body)])
    data = bytearray(archive)
    first = data.find(b"PK\x03\x04")
    name_len = int.from_bytes(data[first + 26:first + 28], "little")
    extra_len = int.from_bytes(data[first + 28:first + 30], "little")
    start = first + 30 + name_len + extra_len
    data[start + 2:start + 12] = b"\xff" * 10  # break the first member's deflate stream
    second = data.find(b"PK\x03\x04", first + 4)
    flags = int.from_bytes(data[second + 6:second + 8], "little") | 0x1  # "encrypted"
    data[second + 6:second + 8] = flags.to_bytes(2, "little")
    central = data.find(b"PK\x01\x02", second)
    central = data.find(b"PK\x01\x02", central + 4)  # the second member's central record
    cflags = int.from_bytes(data[central + 8:central + 10], "little") | 0x1
    data[central + 8:central + 10] = cflags.to_bytes(2, "little")
    path = tmp_path / "hs.zip"
    path.write_bytes(bytes(data))
    refused = {f.name: f.refused for f in collect_zip(path, tmp_path / "out").files}
    assert refused["Tờ trình.docx"].startswith("dữ liệu nén hỏng"), refused
    assert refused["Dự thảo.docx"] == "tệp trong gói nén được đặt mật khẩu", refused
    assert not any(p.is_file() for p in (tmp_path / "out").rglob("*"))


def test_a_folder_of_dossiers_in_sub_folders_is_split(make_dossier, pipeline):
    """Several dossiers, each in its own sub-folder with its own submission: one result each, never one merged."""
    from vanban.check.engine import CheckSettings, check_many

    other = bd.submission(number="Số: 17/TTr-SNV", subject="Về việc thành lập Hội đồng thi đua, khen thưởng tỉnh",
                          body=("Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, ban hành Quyết định "
                                "thành lập Hội đồng thi đua, khen thưởng tỉnh (đính kèm dự thảo Quyết định)./.",))
    folder = make_dossier({"Hồ sơ A/Tờ trình.docx": bd.submission(), "Hồ sơ A/Dự thảo Kế hoạch.docx": bd.draft_plan(),
                           "Hồ sơ B/Tờ trình 17.docx": other}, name="tập hợp")
    results = check_many([folder], CheckSettings(), jobs=1)
    assert [r.name for r in results] == ["tập hợp/Hồ sơ A", "tập hợp/Hồ sơ B"]
    assert all(r.kind == "submission" for r in results)
    assert results[1].submission.number == "17/TTr-SNV"


def test_several_submissions_in_one_folder_are_a_collection(make_dossier, check):
    other = bd.submission(number="Số: 17/TTr-SNV", subject="Về việc thành lập Hội đồng thi đua, khen thưởng tỉnh",
                          body=("Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, ban hành Quyết định "
                                "thành lập Hội đồng thi đua, khen thưởng tỉnh./.",))
    result = check(make_dossier({"Tờ trình 05.docx": bd.submission(), "Tờ trình 17.docx": other}))
    assert result.kind == "collection" and result.decision.outcome == "can_xem"
    assert len(result.items) == 2 and "cần tách từng hồ sơ" in result.decision.reasons[0]


def test_a_commune_writes_to_the_province_and_is_the_submission(make_dossier, check):
    """A công văn of the UBND of a xã asking the province to decide is a submission; the province's own is not."""
    letter = bd.submission(type_name="", parent="", agency="ỦY BAN NHÂN DÂN XÃ PHAN RÍ CỬA",
                           number="Số: 112/UBND-VP", subject="V/v đề nghị hỗ trợ kinh phí sửa chữa trường học",
                           recipients=("Ủy ban nhân dân tỉnh Lâm Đồng",),
                           body=("Ủy ban nhân dân xã kính đề nghị Ủy ban nhân dân tỉnh xem xét, quyết định hỗ trợ "
                                 "kinh phí sửa chữa trường học./.",),
                           position="CHỦ TỊCH", signer="Lê Văn Bình")
    result = check(make_dossier({"cv.docx": letter}))
    assert result.kind == "submission" and result.submission.number == "112/UBND-VP", result.decision
    assert "công văn đề trình" in result.submission.found_because
