"""Inputs written as an attacker would, beyond the classes of the issue: small files that expand in
the reader, numbers and dates no computation survives, folders too deep or too full, a PDF bomb."""

from __future__ import annotations

import os
import zlib

from builders import OFFICE_DIR, TASKS_DIR, _docx_with_body
from harness import check_case

OFFICE = str(OFFICE_DIR / "vanban.yaml")
EXIT_USAGE, EXIT_INPUT, EXIT_CONFIG, EXIT_LIMIT = 2, 3, 5, 8


def test_a_million_empty_paragraphs(box):
    inputs, work = box
    doc = inputs / "rong.docx"
    doc.write_bytes(_docx_with_body("<w:p/>" * 1_000_000))
    assert doc.stat().st_size < 50_000
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code=EXIT_LIMIT, says=("rong.docx", "quá nhiều đoạn"),
               timeout=30)


def test_half_a_million_runs_in_one_paragraph(box):
    inputs, work = box
    doc = inputs / "runs.docx"
    doc.write_bytes(_docx_with_body("<w:p>" + "<w:r><w:rPr><w:b/></w:rPr><w:t>a </w:t></w:r>" * 500_000 + "</w:p>"))
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code=EXIT_LIMIT, says=("runs.docx",), timeout=40)


def test_xml_nested_deeper_than_the_parser_allows(box):
    inputs, work = box
    doc = inputs / "sau.docx"
    doc.write_bytes(_docx_with_body("<w:p>" + "<w:r>" * 100_000 + "</w:r>" * 100_000 + "</w:p>"))
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code=EXIT_INPUT, says=("sau.docx",), timeout=30)


def test_a_number_of_a_hundred_thousand_digits(box):
    inputs, work = box
    for name, text in (("so.yaml", "subject: 1" + "1" * 100_000 + "\n"), ("so.json", '{"subject": 1' + "1" * 100_000 + "}")):
        data = inputs / name
        data.write_text(text, encoding="utf-8")
        check_case(["generate", "cong-van", "--data", str(data), "--office", OFFICE, "-o", "x.docx"], inputs=inputs,
                   work=work, code=EXIT_LIMIT, says=(name, "số quá dài", "giới hạn 4.300 chữ số"))


def test_a_yaml_date_that_does_not_exist(box):
    inputs, work = box
    data = inputs / "ngay.yaml"
    data.write_text((OFFICE_DIR / "cong-van.yaml").read_text(encoding="utf-8") + "\nissued: 2026-13-45\n",
                    encoding="utf-8")
    check_case(["generate", "cong-van", "--data", str(data), "--office", OFFICE, "-o", "x.docx"], inputs=inputs,
               work=work, code=EXIT_CONFIG, says=("ngay.yaml", "ngày không có thật"))


def test_the_year_9999(box):
    inputs, work = box
    register = str(TASKS_DIR / "so-theo-doi-nhiem-vu-2026.csv")
    check_case(["tasks", "status", "--register", register, "--as-of", "31/12/9999"], inputs=inputs, work=work,
               code=EXIT_USAGE, says=("31/12/9999", "1900–2100"))
    check_case(["tasks", "report", "--register", register, "--period", "9999", "-o", "bc", "--no-docx"],
               inputs=inputs, work=work, code=EXIT_CONFIG, says=("ngoài khoảng",))


def test_a_folder_nested_200_deep(box):
    inputs, work = box
    old = os.getcwd()
    os.chdir(inputs)
    try:
        os.mkdir("hs")
        os.chdir("hs")
        for _ in range(200):  # pruned at 12 levels; deeper than 990 would have been a RecursionError
            os.mkdir("a")
            os.chdir("a")
        with open("Tờ trình.txt", "w", encoding="utf-8") as fh:
            fh.write("Tờ trình")
    finally:
        os.chdir(old)
    check_case(["check", str(inputs / "hs")], inputs=inputs, work=work, code={0, 1, 7},
               says=("lồng quá sâu",), timeout=60)


def test_a_folder_of_thousands_of_files(box):
    inputs, work = box
    folder = inputs / "hs"
    folder.mkdir()
    for i in range(2100):
        (folder / f"tep-{i:05d}.csv").write_text("x", encoding="utf-8")
    check_case(["check", str(folder)], inputs=inputs, work=work, code={0, 1, 7},
               says=("quá nhiều tệp", "giới hạn 2.000"), timeout=60)


def test_a_pdf_whose_page_inflates_to_600_mb(box):
    inputs, work = box
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (A) Tj ET\n" + b" " * (600 * 1024 * 1024), 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    pdf = inputs / "bom.pdf"
    pdf.write_bytes(bytes(out))
    check_case(["inspect", str(pdf)], inputs=inputs, work=work, code={0, EXIT_INPUT, EXIT_LIMIT}, timeout=60)


def test_control_characters_inside_a_document(box):
    inputs, work = box
    folder = inputs / "hs"
    folder.mkdir()
    (folder / "Tờ trình.txt").write_text(
        "UBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\nSố: 05/TTr-SNV\nTỜ TRÌNH\nVề việc ban hành \x07\x1b[2J Kế hoạch\x0b\x9b "
        "tuyên truyền\nKính gửi: Ủy ban nhân dân tỉnh\n", encoding="utf-8")
    out = check_case(["check", str(folder), "--summary", "tong-hop.xlsx"], inputs=inputs, work=work, code={0, 1, 7},
                     outputs={"tong-hop.xlsx"})
    assert not any(c in out.output for c in "\x07\x1b\x0b\x9b")
    assert "Kế hoạch" in out.stdout


def test_an_output_onto_a_device_or_a_fifo(box):
    import stat

    inputs, work = box
    folder = inputs / "hs"
    folder.mkdir()
    (folder / "Tờ trình.txt").write_text("Tờ trình\n", encoding="utf-8")
    check_case(["check", str(folder), "-o", "/dev/null", "--force"], inputs=inputs, work=work, code=4,
               says=("/dev/null", "thiết bị"))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    os.mkfifo(work / "ra.txt")
    check_case(["check", str(folder), "-o", "ra.txt", "--force"], inputs=inputs, work=work, code=4,
               says=("ra.txt", "FIFO"), timeout=30)
    assert stat.S_ISFIFO(os.stat(work / "ra.txt").st_mode)


def test_check_never_writes_its_report_over_a_file_of_the_dossier(box):
    inputs, work = box
    folder = inputs / "hs"
    folder.mkdir()
    (folder / "Tờ trình.txt").write_text("Tờ trình\n", encoding="utf-8")
    (folder / "ket-qua.json").write_text("{}", encoding="utf-8")
    check_case(["check", str(folder), "--format", "json", "-o", str(folder / "ket-qua.json"), "--force"],
               inputs=inputs, work=work, code=4, says=("ket-qua.json", "tệp đầu vào"))


def test_a_data_file_of_hundreds_of_thousands_of_keys(box):
    inputs, work = box
    data = inputs / "khoa.yaml"
    data.write_text((OFFICE_DIR / "cong-van.yaml").read_text(encoding="utf-8")
                    + "".join(f"k{i}: {i}\n" for i in range(200_000)), encoding="utf-8")
    out = check_case(["generate", "cong-van", "--data", str(data), "--office", OFFICE, "-o", "x.docx"],
                     inputs=inputs, work=work, code={EXIT_CONFIG, EXIT_LIMIT}, says=("khoa.yaml",))
    assert len(out.stderr) < 2000 and "unexpected" not in out.stderr
