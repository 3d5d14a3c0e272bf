"""An untrusted file cannot make vanban touch the network: a listener on 127.0.0.1 counts the
connections while vanban reads documents that point at it."""

from __future__ import annotations

import shutil
import socket
import threading

import pytest

from builders import _docx_with_body, zip_of
from harness import check_case


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(1024))
                except OSError:
                    hits.append(b"")
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(2)
    server.close()


def _linked_docx(url: str) -> bytes:
    """A .docx with an external image relationship, an INCLUDEPICTURE field and a hyperlink to ``url``."""
    body = (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDEPICTURE "{url}/a.png" '
            '\\d </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r><w:t>Tờ trình số 05/TTr-SNV</w:t></w:r></w:p>')
    data = _docx_with_body(body)
    return data


def test_reading_a_docx_that_points_at_the_network(box, listener):
    port, hits = listener
    inputs, work = box
    doc = inputs / "lien-ket.docx"
    doc.write_bytes(_linked_docx(f"http://127.0.0.1:{port}"))
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code=0)
    archive = inputs / "hs.zip"
    archive.write_bytes(zip_of([("Tờ trình.docx", doc.read_bytes())]))
    check_case(["check", str(archive)], inputs=inputs, work=work, code={0, 1, 7})
    assert hits == []


WEB_PAGES = {
    "image": '<img src="http://127.0.0.1:{port}/a.png">',
    "stylesheet": '<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">',
}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="chưa cài LibreOffice")
@pytest.mark.parametrize("kind", ["image", "stylesheet"])
def test_a_web_page_doc_is_not_opened_by_libreoffice(box, listener, kind):
    # LibreOffice asks a linked stylesheet even with BlockUntrustedRefererLinks: vanban reads the page itself
    port, hits = listener
    inputs, work = box
    doc = inputs / "trang-web.doc"
    doc.write_text(f"<html><body><p>Tờ trình số 05/TTr-SNV</p>{WEB_PAGES[kind].format(port=port)}</body></html>",
                   encoding="utf-8")
    check_case(["inspect", str(doc)], inputs=inputs, work=work, code=0, says=("HTML",), timeout=120)
    assert hits == [], f"đã có {len(hits)} yêu cầu mạng: {hits[:1]}"
