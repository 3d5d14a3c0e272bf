"""--html DIR: index.html and one page per dossier, linked, escaped, Vietnamese."""

from __future__ import annotations

import re
import unicodedata
from html import escape
from pathlib import Path

from ...errors import OutputError
from ...text import fold
from ..model import SEVERITY_VI, DossierResult
from .prose import agency_name
from .text import _date_vi
from .write import write_atomic

STYLE = """
body{font-family:"Times New Roman",serif;font-size:15px;max-width:1100px;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eee}.chuyen_tra{color:#a00;font-weight:bold}.tiep_nhan{color:#060;font-weight:bold}
.tiep_nhan_luu_y{color:#a60;font-weight:bold}.can_xem{color:#05a;font-weight:bold}.van_ban_den{color:#555;font-weight:bold}.error{background:#fdd}.warning{background:#ffe9c4}.info{background:#eef}
small{color:#555}
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")


def slug(name: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(unicodedata.normalize("NFC", name))).strip("-")[:60] or "ho-so"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def dossier_page(r: DossierResult) -> str:
    e = escape
    out = [f'<p><a href="index.html">← Danh sách hồ sơ</a></p><h1>Hồ sơ: {e(r.name)}</h1>',
           f'<p>Kết luận: <span class="{e(r.decision.outcome)}">{e(r.decision.label.upper())}</span></p>',
           f"<p><small>Nguồn: {e(r.source)}</small></p>"]
    if r.decision.reasons:
        out.append("<h2>Lý do</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in r.decision.reasons) + "</ul>")
    s = r.submission
    if s:
        out.append("<h2>Văn bản trình</h2><table>")
        for label, value in (("Tệp", s.file), ("Loại", s.doc_type), ("Số, ký hiệu", s.number), ("Ngày", _date_vi(s.date)),
                             ("Cơ quan trình", agency_name(s.issuer) if s.issuer else None), ("Người ký", f"{s.signer or ''} {('(' + s.signer_position + ')') if s.signer_position else ''}"),
                             ("Chữ ký số", ", ".join(s.digital_signers)), ("Trích yếu", s.subject)):
            out.append(f"<tr><th>{e(label)}</th><td>{e(value or '')}</td></tr>")
        out.append("</table>")
    out.append("<h2>Các tệp</h2><table><tr><th>Tệp</th><th>Vai trò</th><th>Ghi chú</th></tr>")
    for f in r.files:
        notes = "; ".join(x for x in (f.reason, "đã ký số" if f.signed else "", f"bản khác: {f.twin_of}" if f.twin_of else "",
                                      f"không đọc được: {f.problem}" if f.problem else "") if x)
        out.append(f"<tr><td>{e(f.name)}</td><td>{e(f.role_label)}</td><td>{e(notes)}</td></tr>")
    out.append("</table><h2>Kết quả kiểm tra</h2>")
    if r.findings:
        out.append("<table><tr><th>Mức</th><th>Quy tắc</th><th>Nội dung</th><th>Vị trí</th><th>Căn cứ</th></tr>")
        for f in r.findings:
            where = ", ".join(x for x in (f.file, f.location) if x)
            out.append(f'<tr class="{e(f.severity)}"><td>{e(SEVERITY_VI[f.severity])}</td><td>{e(f.rule_id)}</td>'
                       f"<td>{e(f.message)}</td><td>{e(where)}</td><td><small>{e(f.clause)}</small></td></tr>")
        out.append("</table>")
    else:
        out.append("<p>Không có phát hiện nào.</p>")
    return _page(f"Hồ sơ {r.name}", "\n".join(out))


def _index_row(r: DossierResult, name: str) -> str:
    s = r.submission
    return (f'<tr><td><a href="{escape(name)}">{escape(r.name)}</a></td>'
            f'<td class="{escape(r.decision.outcome)}">{escape(r.decision.label)}</td>'
            f"<td>{escape((s.number or '') if s else '(không có văn bản trình)')}</td>"
            f"<td>{r.count('error')}</td><td>{r.count('warning')}</td><td>{r.count('info')}</td></tr>")


_INDEX_TITLE = "Kết quả kiểm tra hồ sơ trình"
_INDEX_HEAD = ("<h1>Kết quả kiểm tra hồ sơ trình</h1><table><tr><th>Hồ sơ</th><th>Kết luận</th><th>Số, ký hiệu văn bản trình</th>"
               "<th>Lỗi</th><th>Cảnh báo</th><th>Thông tin</th></tr>")


def _html_folder(folder: str | Path, force: bool) -> Path:
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError("không phải thư mục", folder)
    if (folder / "index.html").exists() and not force:
        raise OutputError("thư mục đã có index.html; dùng --force để ghi đè", folder)
    return folder


def write_html(results: list[DossierResult], folder: str | Path, force: bool = False) -> Path:
    folder = _html_folder(folder, force)
    index = folder / "index.html"
    used: set[str] = {"index"}
    rows = []
    pages = []
    for r in results:
        name = slug(r.name, used) + ".html"
        pages.append((name, dossier_page(r)))
        rows.append(_index_row(r, name))
    existing = [name for name, _ in pages if (folder / name).exists()]
    if existing and not force:
        raise OutputError(f"thư mục đã có {existing[0]}; dùng --force để ghi đè", folder)
    for name, html in pages:
        write_atomic(folder / name, html, force=True)
    body = _INDEX_HEAD + "\n".join(rows) + "</table>"
    write_atomic(index, _page(_INDEX_TITLE, body), force=force)
    return index


_BODY_MARK = "\x00body\x00"


class _IndexRenderer:
    spool = False

    def __init__(self):
        self.head, self.tail = _page(_INDEX_TITLE, _INDEX_HEAD + _BODY_MARK + "</table>").split(_BODY_MARK)
        self.count = 0

    def row(self, text: str) -> str:
        text = (self.head if not self.count else "\n") + text
        self.count += 1
        return text

    def finish(self) -> tuple[str, str]:
        return "", (self.head if not self.count else "") + self.tail


class HtmlWriter:
    """--html written as the results come: each dossier's page at once, the index row by row to a temp
    file beside index.html, renamed at the end (the same files as :func:`write_html`)."""

    def __init__(self, folder: str | Path, force: bool = False):
        from .write import StreamedReport

        self.folder = _html_folder(folder, force)
        self.force = force
        self.used: set[str] = {"index"}
        self.index = _IndexRenderer()
        self.stream = StreamedReport(self.index, self.folder / "index.html", force=force)
        self._row: str = ""

    def add(self, result: DossierResult) -> None:
        name = slug(result.name, self.used) + ".html"
        if (self.folder / name).exists() and not self.force:
            raise OutputError(f"thư mục đã có {name}; dùng --force để ghi đè", self.folder)
        write_atomic(self.folder / name, dossier_page(result), force=True)
        self.stream.write(self.index.row(_index_row(result, name)))

    def close(self) -> Path:
        return self.stream.close()

    def discard(self) -> None:
        self.stream.discard()
