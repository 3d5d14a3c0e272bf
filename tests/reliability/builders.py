"""Hostile and broken inputs, built by code for the reliability suite."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "fixtures"))

import build_dossiers as bd  # noqa: E402

OFFICE_DIR = REPO / "fixtures" / "office"
TASKS_DIR = REPO / "fixtures" / "tasks"

BILLION_LAUGHS = "\n".join(
    [f'l0: &l0 ["{"ha" * 4}"]']
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
) + "\n"


def deep_json(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def deep_yaml(depth: int = 100_000) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def minimal_docx(paragraphs: list[str]) -> bytes:
    """A .docx of plain paragraphs written as XML directly (fast for millions of characters)."""
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paragraphs)
    return _docx_with_body(body)


def _docx_with_body(body: str) -> bytes:
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f"<w:body>{body}<w:sectPr/></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                    '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
                    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                    '.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                    '</Relationships>')
        zf.writestr("word/document.xml", document)
    return buf.getvalue()


def long_docx(chars: int) -> bytes:
    """A report of about ``chars`` characters (1,000 per paragraph)."""
    sentence = "Nội dung báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội của tỉnh năm 2026. "
    para = (sentence * (1000 // len(sentence) + 1))[:1000]
    return minimal_docx(["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "BÁO CÁO", *[para] * (chars // 1000)])


def understated_docx(inflated: int = 400 * 1024 * 1024, declared: int = 2048) -> bytes:
    """A .docx whose ``word/document.xml`` inflates to ``inflated`` bytes while both its headers say
    ``declared``: a reader trusting the header would inflate it all in one call."""
    good = minimal_docx(["x"])
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    block = b" " * (1 << 20)
    deflated = bytearray(comp.compress(head))
    for _ in range(inflated // len(block)):
        deflated += comp.compress(block)
    deflated += comp.flush()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                zf.writestr(info, src.read(info.filename))
    entries = out.getvalue()
    # append the crafted member by hand: local header, data, then a new central directory
    zf = zipfile.ZipFile(io.BytesIO(entries))
    central = b""
    body = bytearray(entries[: zf.start_dir])
    for info in zf.infolist():
        central += _central(info.filename.encode(), info.CRC, info.compress_size, info.file_size, info.header_offset,
                            info.compress_type)
    offset = len(body)
    name = b"word/document.xml"
    body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(deflated), declared, len(name), 0)
    body += name + deflated
    central += _central(name, 0, len(deflated), declared, offset, 8)
    count = len(zf.infolist()) + 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
    return bytes(body) + central + end


def _central(name: bytes, crc: int, csize: int, usize: int, offset: int, method: int) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, csize, usize, len(name),
                       0, 0, 0, 0, 0, offset) + name


def good_dossier(folder: Path, number: int = 5) -> Path:
    """A complete dossier (submission + draft) as the checker tests write it."""
    folder.mkdir(parents=True, exist_ok=True)
    bd.write_docx(bd.submission(number=f"Số: {number:02d}/TTr-SNV"), folder / "Tờ trình ban hành Kế hoạch.docx")
    bd.write_docx(bd.draft_plan(), folder / "Dự thảo Kế hoạch.docx")
    return folder


def zip_of(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


def patch_member_name(data: bytes, placeholder: bytes, raw: bytes) -> bytes:
    """Replace a member's name by ``raw`` bytes of the same length in both headers (a name that is
    not UTF-8 and carries no UTF-8 flag, as old Vietnamese zip tools wrote them)."""
    assert len(placeholder) == len(raw)
    assert data.count(placeholder) == 2
    return data.replace(placeholder, raw)


def template_docx(path: Path, text: str) -> Path:
    """An office template whose one paragraph is ``text`` (a Jinja tag, hostile or not)."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path
