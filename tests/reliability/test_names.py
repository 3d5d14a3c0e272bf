"""Names and zips from outside: duplicates kept apart, a file and a folder of one name, long names,
control characters and newlines, names that are not UTF-8, files that cannot be read; and a batch
of broken dossiers that still checks the good ones."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from builders import good_dossier, minimal_docx, patch_member_name, zip_of
from harness import check_case

EXIT_INPUT = 3


def _files(outcome_json: str) -> list[dict]:
    return json.loads(outcome_json)["dossiers"][0]["files"]


def _good_parts(tmp: Path) -> tuple[bytes, bytes]:
    folder = good_dossier(tmp / "_xay")
    return (folder / "Tờ trình ban hành Kế hoạch.docx").read_bytes(), (folder / "Dự thảo Kế hoạch.docx").read_bytes()


def test_two_members_of_one_name_are_both_kept_with_their_own_hash(box, tmp_path):
    inputs, work = box
    submission, draft = _good_parts(tmp_path)
    other = minimal_docx(["Thông báo", "Nội dung khác hẳn"])
    archive = inputs / "hs.zip"
    archive.write_bytes(zip_of([("Tờ trình.docx", other), ("Tờ trình.docx", submission), ("Dự thảo.docx", draft)]))
    out = check_case(["check", str(archive), "--format", "json"], inputs=inputs, work=work, code={0, 1, 7})
    files = {f["name"]: f for f in _files(out.stdout)}
    assert set(files) == {"Tờ trình.docx", "Tờ trình (2).docx", "Dự thảo.docx"}
    import hashlib
    assert files["Tờ trình.docx"]["sha256"] == hashlib.sha256(other).hexdigest()
    assert files["Tờ trình (2).docx"]["sha256"] == hashlib.sha256(submission).hexdigest()
    assert files["Tờ trình (2).docx"]["role"] == "submission"  # the real tờ trình does not vanish


def test_a_file_and_a_folder_of_one_name(box, tmp_path):
    inputs, work = box
    submission, draft = _good_parts(tmp_path)
    archive = inputs / "hs.zip"
    archive.write_bytes(zip_of([("to-trinh", b"a plain file"), ("to-trinh/Tờ trình.docx", submission),
                                ("Dự thảo.docx", draft)]))
    out = check_case(["check", str(archive), "--format", "json"], inputs=inputs, work=work, code={0, 1, 7})
    names = {f["name"]: f for f in _files(out.stdout)}
    assert {"to-trinh", "to-trinh/Tờ trình.docx", "Dự thảo.docx"} <= set(names)
    assert names["to-trinh/Tờ trình.docx"]["problem"] is None


def test_long_control_and_formula_names_are_made_safe(box):
    inputs, work = box
    doc = minimal_docx(["Văn bản"])
    long_name = "Tờ trình " + "rất dài " * 60 + ".docx"  # about 500 bytes: longer than a file system allows
    archive = inputs / "hs.zip"
    archive.write_bytes(zip_of([(long_name, doc), ("Ghi chú\nLỗi: giả mạo.docx", doc), ("x\x1b[2Jđỏ.docx", doc),
                                ("=HYPERLINK(\"http://x\").docx", doc), ("\u202egpj.exe", doc)]))
    out = check_case(["check", str(archive), "--summary", "tong-hop.xlsx"], inputs=inputs, work=work,
                     code={0, 1, 7}, outputs={"tong-hop.xlsx"})
    assert "\x1b" not in out.output and "\u202e" not in out.output
    assert not any(line.startswith("Lỗi: giả mạo") for line in out.output.splitlines())
    assert "Ghi chú_Lỗi: giả mạo.docx" in out.stdout
    assert "…" in out.stdout  # the 500-byte name shown shortened
    from openpyxl import load_workbook
    sheet = load_workbook(work / "tong-hop.xlsx").active
    assert not any(isinstance(c.value, str) and c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_names_that_are_not_utf8(box):
    inputs, work = box
    doc = minimal_docx(["Văn bản"])
    archive = inputs / "hs.zip"
    data = zip_of([("PLACEHOLDER1.docx", doc)])
    archive.write_bytes(patch_member_name(data, b"PLACEHOLDER1", b"T\xf4 tr\xecnh so1"))
    folder = inputs / "thu-muc"
    folder.mkdir()
    (folder / os.fsdecode(b"C\xf4ng v\xe3n.docx")).write_bytes(doc)
    out = check_case(["check", str(archive), str(folder)], inputs=inputs, work=work, code={0, 1, 7})
    assert "Tô t" in out.stdout and "Công văn.docx" in out.stdout
    assert "\udcf4" not in out.stdout


def test_special_and_unreadable_files_in_a_folder_are_reported(box, tmp_path):
    inputs, work = box
    folder = good_dossier(inputs / "hs")
    os.mkfifo(folder / "Phụ lục.docx")
    os.symlink("/etc/passwd", folder / "passwd.docx")
    (folder / "hỏng.docx").write_bytes(b"PK\x03\x04 broken")
    out = check_case(["check", str(folder)], inputs=inputs, work=work, code={0, 1, 7}, timeout=60)
    assert "Phụ lục.docx" in out.stdout and "FIFO" in out.stdout
    assert "passwd.docx" in out.stdout and "symlink" in out.stdout
    assert "hỏng.docx" in out.stdout
    assert "05/TTr-SNV" in out.stdout  # the good documents are still read


def test_a_batch_of_broken_dossiers_checks_the_good_ones(box):
    inputs, work = box
    good_dossier(inputs / "01 tốt", 5)
    second = good_dossier(inputs / "_tmp", 7)
    with zipfile.ZipFile(inputs / "02 tốt.zip", "w") as zf:
        for path in sorted(second.iterdir()):
            zf.write(path, path.name)
    for path in second.iterdir():
        path.unlink()
    second.rmdir()
    (inputs / "03 hỏng.zip").write_bytes(b"PK\x03\x04 not a zip")
    (inputs / "04 rỗng").mkdir()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Tờ trình.docx", b"\0" * (300 * 1024 * 1024))
    (inputs / "05 bom.zip").write_bytes(bomb.getvalue())
    odd = inputs / "06 lạ"
    odd.mkdir()
    os.mkfifo(odd / "Tờ trình.docx")
    paths = sorted(str(p) for p in inputs.iterdir())
    out = check_case(["check", *paths, "--format", "json", "-j", "2"], inputs=inputs, work=work, code=EXIT_INPUT,
                     timeout=120)
    dossiers = {d["name"]: d for d in json.loads(out.stdout)["dossiers"]}
    assert set(dossiers) == {"01 tốt", "02 tốt", "03 hỏng", "04 rỗng", "05 bom", "06 lạ"}
    for name in ("01 tốt", "02 tốt"):
        assert dossiers[name]["decision"]["outcome"] in ("tiep_nhan", "tiep_nhan_luu_y"), dossiers[name]["decision"]
    assert "bom zip" in json.dumps(dossiers["05 bom"], ensure_ascii=False)
