"""Size, special files, nesting and expansion: every external input goes through vanban.guard."""

from __future__ import annotations

import os

import pytest

from builders import BILLION_LAUGHS, OFFICE_DIR, TASKS_DIR, deep_json, deep_yaml, long_docx, understated_docx
from harness import check_case

OFFICE = str(OFFICE_DIR / "vanban.yaml")
EXIT_INPUT, EXIT_CONFIG, EXIT_LIMIT = 3, 5, 8


def test_fifo_named_docx_is_refused_without_blocking(box):
    inputs, work = box
    fifo = inputs / "tờ trình.docx"
    os.mkfifo(fifo)
    check_case(["inspect", str(fifo)], inputs=inputs, work=work, code=EXIT_INPUT,
               says=("tờ trình.docx", "FIFO"), timeout=30)


def test_fifo_as_data_file(box):
    inputs, work = box
    fifo = inputs / "data.yaml"
    os.mkfifo(fifo)
    check_case(["generate", "cong-van", "--data", str(fifo), "--office", OFFICE, "-o", "x.docx"],
               inputs=inputs, work=work, code=EXIT_CONFIG, says=("data.yaml", "FIFO"), timeout=30)


def test_device_as_document(box):
    inputs, work = box
    check_case(["inspect", "/dev/zero"], inputs=inputs, work=work, code=EXIT_INPUT, says=("/dev/zero", "thiết bị"),
               timeout=30)


@pytest.mark.parametrize("option", ["--data", "--office"])
def test_yaml_alias_bomb_in_generate(box, option):
    inputs, work = box
    bomb = inputs / "bom.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    data = str(bomb) if option == "--data" else str(OFFICE_DIR / "cong-van.yaml")
    office = str(bomb) if option == "--office" else OFFICE
    check_case(["generate", "cong-van", "--data", data, "--office", office, "-o", "x.docx"],
               inputs=inputs, work=work, code=EXIT_LIMIT, says=("bom.yaml", "bí danh", "giới hạn 300.000"))


def test_yaml_alias_bomb_as_task_config(box):
    inputs, work = box
    bomb = inputs / "cau-hinh.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    check_case(["tasks", "status", "--register", str(TASKS_DIR / "so-theo-doi-nhiem-vu-2026.csv"),
                "--config", str(bomb), "--as-of", "15/10/2026"],
               inputs=inputs, work=work, code=EXIT_LIMIT, says=("cau-hinh.yaml", "bí danh"))


def test_cyclic_yaml(box):
    inputs, work = box
    data = inputs / "vong.yaml"
    data.write_text("a: &a [1, *a]\n", encoding="utf-8")
    check_case(["generate", "cong-van", "--data", str(data), "--office", OFFICE, "-o", "x.docx"],
               inputs=inputs, work=work, code=EXIT_LIMIT, says=("vong.yaml", "tự tham chiếu"))


@pytest.mark.parametrize("name,text", [("sau.json", deep_json()), ("sau.yaml", deep_yaml()),
                                       ("sau2.json", '{"a":' * 5000 + "1" + "}" * 5000)])
def test_deeply_nested_data(box, name, text):
    inputs, work = box
    data = inputs / name
    data.write_text(text, encoding="utf-8")
    check_case(["generate", "cong-van", "--data", str(data), "--office", OFFICE, "-o", "x.docx"],
               inputs=inputs, work=work, code=EXIT_LIMIT, says=(name, "lồng nhau quá sâu", "giới hạn 64"))


def test_oversized_data_file(box):
    inputs, work = box
    data = inputs / "lon.yaml"
    data.write_text("subject: '" + "a" * (11 * 1024 * 1024) + "'\n", encoding="utf-8")
    check_case(["generate", "cong-van", "--data", str(data), "--office", OFFICE, "-o", "x.docx"],
               inputs=inputs, work=work, code=EXIT_LIMIT, says=("lon.yaml", "quá lớn", "giới hạn 5 MB"))


def test_millions_of_characters_in_a_small_docx(box):
    inputs, work = box
    doc = inputs / "dai.docx"
    doc.write_bytes(long_docx(12_000_000))
    assert doc.stat().st_size < 1024 * 1024
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code=EXIT_LIMIT,
               says=("dai.docx", "văn bản quá dài", "giới hạn 5.000.000 ký tự"))


def test_a_300_page_report_is_read_in_pieces(box):
    inputs, work = box
    doc = inputs / "bao-cao-300-trang.docx"
    doc.write_bytes(long_docx(900_000))
    out = check_case(["inspect", str(doc)], inputs=inputs, work=work, code=0)
    assert "Báo cáo" in out.stdout or "BÁO CÁO" in out.stdout


def test_zip_member_whose_header_understates_its_size(box):
    inputs, work = box
    doc = inputs / "boi-nen.docx"
    doc.write_bytes(understated_docx())
    assert doc.stat().st_size < 2 * 1024 * 1024
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code={EXIT_INPUT, EXIT_LIMIT}, says=("boi-nen.docx",))
