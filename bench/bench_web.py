"""Benchmark of the web page (`vanban serve`) against the command line (not run by pytest).

    VANBAN_REALDOCS=../shared/realdocs python bench/bench_web.py [--uploads 20] [--repeat 3]

1. One 10-file dossier (``$VANBAN_REALDOCS/dossiers/Tờ trình 511``, packed into a .zip
   so both sides read the same bytes; without the corpus, the fixture .zip): the page's
   check end to end (HTTP upload → background check → the page shows the decision) against
   ``vanban check --format json`` on the same .zip (a new process each time, as a clerk
   runs it) and against ``Checker.check_all`` in this process (the floor: the check alone).
2. N concurrent uploads from N signed-in clients over real HTTP (waitress): every upload
   answered, every dossier checked, nothing lost, the register consistent (one row per
   dossier, the stored files' SHA-256 equal to what was sent).

Timings are ratios to a floor measured in the same run, so they do not depend on the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = "Tờ trình 511"
PASSWORD = "mat-khau-bench-01"


def pack(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return target


def dossier(work: Path) -> Path:
    real = Path(os.environ.get("VANBAN_REALDOCS", "")) / "dossiers" / REAL
    if os.environ.get("VANBAN_REALDOCS") and real.is_dir():
        return pack(real, work / f"{REAL}.zip")
    print("VANBAN_REALDOCS chưa đặt: dùng hồ sơ nén mẫu trong fixtures/ (ít tệp hơn).", file=sys.stderr)
    src = REPO / "fixtures" / "dossiers" / "04 Hồ sơ nén - Tờ trình 21 SNV.zip"
    return Path(shutil.copyfile(src, work / src.name))


class Client:
    """A signed-in browser session over HTTP (requests), with the page's CSRF token."""

    def __init__(self, base: str, username: str):
        import requests

        self.base = base
        self.http = requests.Session()
        self.http.post(base + "/dang-nhap", data={"username": username, "password": PASSWORD,
                                                  "csrf_token": self.token("/dang-nhap")})

    def token(self, path: str) -> str:
        page = self.http.get(self.base + path).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def upload(self, path: Path) -> str:
        with open(path, "rb") as fh:
            response = self.http.post(self.base + "/tiep-nhan", data={"csrf_token": self.token("/tiep-nhan")},
                                      files=[("tep", (path.name, fh, "application/zip"))], allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"tải lên bị từ chối: {response.status_code}")
        return response.headers["Location"]

    def decision(self, url: str, timeout: float = 900) -> str:
        end = time.time() + timeout
        while time.time() < end:
            response = self.http.get(self.base + url)
            response.raise_for_status()
            page = response.text
            found = re.search(r'id="decision-0">Kết luận: <strong>([^<]+)</strong>', page)
            if found:
                return found.group(1)
            time.sleep(0.05)
        raise TimeoutError(url)


def start_server(data: Path):
    from waitress.server import create_server

    from vanban.web import create_app
    from vanban.web.security import hash_password
    from vanban.web.store import WebStore

    store = WebStore(data)
    hashed = hash_password(PASSWORD)
    for i in range(64):
        store.add_user(f"cv{i}", f"Chuyên viên {i}", "chuyen_vien", hashed)
    app = create_app(data)
    server = create_server(app, host="127.0.0.1", port=0, threads=16)
    threading.Thread(target=server.run, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.effective_port}"


def cli_check(path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vanban", "check", "--format", "json", str(path)],
                          capture_output=True, text=True, env=os.environ.copy())
    elapsed = time.perf_counter() - started
    return elapsed, json.loads(done.stdout)["dossiers"][0]["decision"]["label"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr", default="off", choices=("off", "auto"), help="OCR of scans for both sides")
    args = parser.parse_args()
    os.environ["VANBAN_OCR"] = args.ocr

    with tempfile.TemporaryDirectory(prefix="vanban-bench-web-") as tmp:
        work = Path(tmp)
        path = dossier(work)
        with zipfile.ZipFile(path) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
        print(f"Hồ sơ: {path.name}: {len(members)} tệp, {path.stat().st_size / 2**20:.1f} MB nén; OCR {args.ocr}")

        from vanban.check.engine import Checker, CheckSettings

        checker = Checker(CheckSettings(review=True))
        checker.check_all(path)  # warm: language pipeline loaded once, as in a running server
        floor = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            floor_decision = checker.check_all(path)[0].decision.label
            floor.append(time.perf_counter() - started)

        cli = [cli_check(path) for _ in range(args.repeat)]
        app, server, base = start_server(work / "data")
        try:
            client = Client(base, "cv0")
            web = []
            decisions = []
            for i in range(args.repeat + 1):
                started = time.perf_counter()
                decisions.append(client.decision(client.upload(path)))
                web.append(time.perf_counter() - started)
            cold, warm = web[0], web[1:]
            assert {d.lower() for d in decisions} == {floor_decision.lower()} == {c[1].lower() for c in cli}, \
                (decisions, floor_decision, cli)

            # ---- N concurrent uploads
            clients = [Client(base, f"cv{i + 1}") for i in range(args.uploads)]
            answers: dict[int, object] = {}

            def send(i: int) -> None:
                try:
                    answers[i] = clients[i].upload(path)
                except Exception as exc:  # counted below as not answered
                    answers[i] = exc

            started = time.perf_counter()
            threads = [threading.Thread(target=send, args=(i,)) for i in range(args.uploads)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            answered = time.perf_counter() - started
            sent_by = [(clients[i], answers[i]) for i in range(args.uploads) if isinstance(answers[i], str)]
            urls = [url for _, url in sent_by]
            for client_i, url in sent_by:  # each clerk reads their own dossier
                client_i.decision(url)
            all_checked = time.perf_counter() - started

            store = app.extensions["vanban"].store
            sent = hashlib.sha256(path.read_bytes()).hexdigest()
            ids = [int(u.rsplit("/", 1)[1]) for u in urls]
            rows = store.conn.execute(f"SELECT COUNT(*) FROM register WHERE intake_id IN ({','.join('?' * len(ids))})",
                                      ids).fetchone()[0]
            stored = {f["sha256"] for i in ids for f in store.intake_files(i)}
            statuses = {store.intake(i)["status"] for i in ids}
            consistent = (len(urls) == args.uploads and rows == args.uploads and stored == {sent}
                          and statuses == {"done"} and store.blobs.path(sent).is_file())
        finally:
            server.close()
            app.extensions["vanban"].intake.stop()

    med = statistics.median
    print()
    print("| đo | thời gian | so với mốc |")
    print("|---|---|---|")
    print(f"| mốc: `Checker.check_all` trong tiến trình (đã nạp sẵn) | {med(floor):.2f} s | 1× |")
    print(f"| trang web, hồ sơ đầu tiên (nạp bộ kiểm tra) | {cold:.2f} s | {cold / med(floor):.2f}× |")
    print(f"| trang web, các lần sau (tải lên → trang hiện kết luận) | {med(warm):.2f} s | {med(warm) / med(floor):.2f}× |")
    print(f"| `vanban check --format json` (tiến trình mới mỗi lần) | {med(c[0] for c in cli):.2f} s | "
          f"{med(c[0] for c in cli) / med(floor):.2f}× |")
    print(f"| {args.uploads} lượt tải lên đồng thời: đã trả lời | {answered:.2f} s | "
          f"{len(urls)}/{args.uploads} được nhận |")
    print(f"| {args.uploads} lượt tải lên đồng thời: đã kiểm tra xong | {all_checked:.2f} s | "
          f"{all_checked / (args.uploads * med(floor)):.2f}× của {args.uploads} lần mốc |")
    print()
    print(f"Kết luận giống nhau ở cả ba đường: {floor_decision}. Sổ tiếp nhận nhất quán: "
          f"{'có' if consistent else 'KHÔNG'} ({rows} dòng cho {len(urls)} hồ sơ, SHA-256 tệp lưu "
          f"{'khớp' if stored == {sent} else 'không khớp'}). Bộ nhớ đỉnh (tiến trình này): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.")
    if not consistent:
        sys.exit(1)


if __name__ == "__main__":
    main()
