"""LibreOffice as vanban runs it: offline, and never outliving vanban.

- A .doc/.rtf from outside may carry links to pictures on a web server
  (``INCLUDEPICTURE "http://…"`` in RTF, ``<img src="http://…">`` in a web
  page saved as .doc). Converting it must not make LibreOffice connect: a
  listener on 127.0.0.1 counts connections while vanban converts such files.
- LibreOffice ends with vanban: when the Python process converting is killed
  (SIGKILL, no clean-up possible) or interrupted (Ctrl-C), the converting
  LibreOffice process is gone a few seconds later.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from proctree import alive, children

from vanban.read import read_file
from vanban.read.convert import convert_many

REPO = Path(__file__).resolve().parents[2]


class Listener:
    """A TCP server on 127.0.0.1 that only counts who connects."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                self.requests.append(conn.recv(300))
            except OSError:
                self.requests.append(b"")
            conn.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_linked_pictures_are_not_fetched(soffice, tmp_path, monkeypatch, listener):
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    url = f"http://127.0.0.1:{listener.port}/logo.png"
    rtf = tmp_path / "to-trinh.rtf"
    rtf.write_text(r"{\rtf1\ansi{\fonttbl{\f0 Times New Roman;}}\f0 T\u7901? tr\u236?nh s\u7889? 12 "
                   r"{\field{\*\fldinst INCLUDEPICTURE \"" + url + r"\" \\d}{\fldrslt }}\par}", encoding="ascii")
    page = tmp_path / "cong-van.doc"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body><p>Công văn số 45</p>'
                    f'<img src="{url}"><p>Nơi nhận</p></body></html>', encoding="utf-8")
    sources = [(p, hashlib.sha256(p.read_bytes()).hexdigest(), p.suffix) for p in (rtf, page)]
    results = convert_many(sources, timeout=120)
    time.sleep(1)  # a late request would still be counted
    assert listener.requests == []
    assert all(isinstance(path, Path) and path.is_file() for path in results.values()), results
    texts = [b.text for b in read_file(page).blocks]
    assert "Công văn số 45" in texts and "Nơi nhận" in texts
    assert any("Tờ trình số 12" in b.text for b in read_file(rtf).blocks)


def test_the_listener_does_see_libreoffice_without_the_profile(soffice, tmp_path, listener):
    """Control: plain ``soffice --convert-to`` on the same kind of file does connect (so the test above can fail)."""
    page = tmp_path / "cong-van.doc"
    page.write_text(f'<html><body><p>Công văn</p><img src="http://127.0.0.1:{listener.port}/x.png"></body></html>',
                    encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "docx", "--outdir", str(tmp_path / "out"), str(page)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180, check=False)
    time.sleep(1)
    assert listener.requests, "LibreOffice without vanban's profile did not connect: the check proves nothing"


CONVERTER = textwrap.dedent("""
    import hashlib, sys
    from pathlib import Path
    from vanban.read.convert import convert_many
    paths = [Path(p) for p in sys.argv[1:]]
    convert_many([(p, hashlib.sha256(p.read_bytes()).hexdigest(), p.suffix) for p in paths], timeout=600)
""")


def _many_documents(tmp_path: Path, count: int = 40) -> list[Path]:
    paths = []
    for i in range(count):
        path = tmp_path / f"van-ban-{i}.rtf"
        body = r"\par ".join(f"Dong {k} cua van ban {i}" for k in range(3000))
        path.write_text(r"{\rtf1\ansi " + body + "}", encoding="ascii")
        paths.append(path)
    return paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc and prctl (Linux)")
@pytest.mark.parametrize("how", ["kill", "interrupt"])
def test_libreoffice_ends_with_vanban(soffice, tmp_path, how):
    env = dict(os.environ, VANBAN_CACHE_DIR=str(tmp_path / "cache"))
    converter = subprocess.Popen([sys.executable, "-c", CONVERTER, *map(str, _many_documents(tmp_path))],
                                 env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 # Ctrl-C as from a terminal, even when the suite itself runs with it ignored
                                 preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    office: list[int] = []
    deadline = time.monotonic() + 120
    while not office and time.monotonic() < deadline and converter.poll() is None:
        time.sleep(0.2)
        office = children(converter.pid)
    # the first start of a fresh profile ends by itself and is started again: take the one converting
    time.sleep(5)
    office = children(converter.pid)
    assert office and converter.poll() is None, "LibreOffice did not start (or finished before it could be stopped)"
    converter.send_signal(signal.SIGKILL if how == "kill" else signal.SIGINT)
    _, stderr = converter.communicate(timeout=60)
    assert converter.returncode != 0  # stopped, not finished
    # a LibreOffice left running would go on for tens of seconds with these files
    deadline = time.monotonic() + 3
    while any(alive(pid) for pid in office) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in office), f"LibreOffice {office} outlived vanban ({how})"
