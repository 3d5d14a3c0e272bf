"""Office templates under limits of time, size, loops and recursion; only documented globals;
every exception a Vietnamese error naming the template; `template check` linear and bounded;
images only from vanban's own output or the output folder."""

from __future__ import annotations


import docx
import pytest

from builders import OFFICE_DIR, template_docx
from harness import check_case

OFFICE = str(OFFICE_DIR / "vanban.yaml")
EXIT_CONFIG, EXIT_LIMIT = 5, 8

HOSTILE = [
    ('{{ "x" * 10000000000 }}', EXIT_LIMIT, "chuỗi quá dài"),
    ("{{ 9 ** 999999 }}", EXIT_LIMIT, "lũy thừa quá lớn"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", EXIT_LIMIT, "range quá lớn"),
    ("{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}{% endfor %}{% endfor %}"
     "{% endfor %}", EXIT_LIMIT, "giây"),
    # 2**40 calls: stopped by the call budget or the clock, whichever comes first on this machine
    ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}", EXIT_LIMIT,
     "mẫu vượt giới hạn an toàn"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", EXIT_CONFIG, "lồng nhau quá sâu"),
    ('{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}',
     EXIT_LIMIT, "chuỗi quá dài"),
    ('{% set ns = namespace(s=["x"]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
     EXIT_LIMIT, "danh sách quá dài"),
    ('{{ "a"|center(1000000000) }}', EXIT_LIMIT, "bộ lọc 'center'"),
    ('{{ "abc".ljust(999999999) }}', EXIT_LIMIT, "hàm 'ljust'"),
    ('{{ "{:>1000000000}".format(1) }}', EXIT_LIMIT, "độ rộng quá lớn"),
    ('{{ "%1000000000s" % "x" }}', EXIT_LIMIT, "độ rộng quá lớn"),
    ('{{ "ab"|replace("", "x" * 900000) }}', EXIT_LIMIT, "chuỗi quá dài"),
    ("{{ lipsum(100000) }}", EXIT_CONFIG, "'lipsum'"),
    ("{{ cycler(1, 2) }}", EXIT_CONFIG, "'cycler'"),
    ('{% include "cong-van.docx" %}', EXIT_CONFIG, "lỗi khi điền mẫu"),
    ("{{ (1).__class__.__mro__ }}", EXIT_CONFIG, "bị cấm"),
    ("{{ subject + 1 }}", EXIT_CONFIG, "TypeError"),
    ("{{ none_such_field }}", EXIT_CONFIG, "'none_such_field'"),
]


@pytest.mark.parametrize("tag,code,phrase", HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_hostile_template(box, tag, code, phrase):
    inputs, work = box
    template_docx(inputs / "mau" / "cong-van.docx", tag)
    check_case(["generate", "cong-van", "--data", str(OFFICE_DIR / "cong-van.yaml"), "--office", OFFICE,
                "--templates", str(inputs / "mau"), "-o", "ra.docx"],
               inputs=inputs, work=work, code=code, says=("cong-van.docx", phrase), timeout=60)


def _many_runs(path, pieces):
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in pieces:
        paragraph.add_run(piece)
    document.save(path)


@pytest.mark.parametrize("kind", ["unclosed", "split", "ptag", "deep", "folded"])
def test_template_check_is_bounded(box, kind):
    inputs, work = box
    path = inputs / "mau.docx"
    if kind == "unclosed":
        template_docx(path, "{{ a " * 40000)
    elif kind == "split":
        _many_runs(path, ["{{", " a }}"] * 20000)
    elif kind == "ptag":
        template_docx(path, "{%p " * 40000)
    elif kind == "deep":
        template_docx(path, "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")
    else:
        template_docx(path, '{{ "x" * 10**10 }} {{ "a"|center(1000000000) }} {{ 9**999999 }}')
    check_case(["template", "check", str(path)], inputs=inputs, work=work, code={0, EXIT_CONFIG}, timeout=30)


def test_a_data_file_cannot_embed_a_file_from_the_disk(box):
    inputs, work = box
    data = (OFFICE_DIR / "bao-cao-nhiem-vu.yaml").read_text(encoding="utf-8")
    for image, phrase in (("/etc/passwd", "ngoài thư mục kết quả"), ("../vao/anh.png", "ngoài thư mục kết quả")):
        (inputs / "anh.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
        path = inputs / "bc.yaml"
        path.write_text(data + f"\nchart: {image}\n", encoding="utf-8")
        check_case(["generate", "bao-cao-nhiem-vu", "--data", str(path), "--office", OFFICE, "--number", "7", "-o", "bc.docx"],
                   inputs=inputs, work=work, code=EXIT_CONFIG, says=(phrase,))
    (work / "passwd.png").write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    path.write_text(data + f"\nchart: {work / 'passwd.png'}\n", encoding="utf-8")
    check_case(["generate", "bao-cao-nhiem-vu", "--data", str(path), "--office", OFFICE, "--number", "7", "-o", "bc.docx"],
               inputs=inputs, work=work, code=EXIT_CONFIG, says=("không phải tệp PNG",))
