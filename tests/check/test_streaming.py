"""A batch streams: results in input order with a bounded number of dossiers ahead, a broken dossier
does not stop it, and every report written as the results come has the bytes of the list renderer."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proctree import alive, children

from vanban.check.engine import CheckSettings, check_many, discover, iter_check, iter_check_groups
from vanban.check.report import (FORMATS, RENDERERS, HtmlWriter, StreamedReport, SummaryWriter, write_html,
                                 write_summary)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "dossiers"
SETTINGS = CheckSettings(ocr="off")
GENERATED = "2026-01-02T03:04:05+07:00"
# real dossiers without .doc files (no LibreOffice): a tờ trình, a công văn of a ministry, a plan
REAL = ("Tờ trình 493 báo cáo Tổng kết công tác phòng, chống ma túy năm 2025 và phương hướng công tác trọng tâm năm 2026",
        "CV 427 BCA", "Tờ trình 409 xã phuong khong ma tuy", "Tờ trình 303 SNV Quyết định thành lập Ban Vì sự tiến bộ "
        "của phụ nữ tỉnh Lâm Đồng")


def _batch(root: Path, count: int) -> list[Path]:
    """``count`` copies of the fixture dossiers (folders and the .zip), numbered so their order is known."""
    sources = discover([FIXTURES])
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        src = sources[i % len(sources)]
        dst = root / f"{i:03d} {src.name}"
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dst)
        out.append(dst)
    return out


class Pulled:
    """The paths of a batch handed out one at a time, counting how many the engine has taken."""

    def __init__(self, paths):
        self.paths = list(paths)
        self.taken = 0

    def __iter__(self):
        for path in self.paths:
            self.taken += 1
            yield path


def _rendered(renderer, results, hold: bool = False) -> str:
    pieces: list[str] = []
    stream = StreamedReport(renderer, sink=pieces.append, hold=hold)
    for r in results:
        stream.add(r)
    if hold or renderer.spool:  # nothing on the screen before the end
        assert not pieces
    stream.close()
    return "".join(pieces)


def _renderer(fmt: str):
    return RENDERERS[fmt](generated=GENERATED) if fmt == "json" else RENDERERS[fmt]()


def _listed(fmt: str, results) -> str:
    return FORMATS[fmt](results, generated=GENERATED) if fmt == "json" else FORMATS[fmt](results)


@pytest.mark.parametrize("jobs,executor", [(1, "local"), (2, "local"), (2, "dask-local")])
def test_results_come_in_input_order_with_few_dossiers_ahead(tmp_path, jobs, executor):
    if executor != "local":
        pytest.importorskip("distributed", reason="Dask chưa được cài: pip install 'vanban[dask]'")
    paths = _batch(tmp_path / "batch", 9)
    source = Pulled(paths)
    ahead = []
    results = []
    window = 2 * jobs  # narrower than the default (default_window), so that 9 dossiers show the bound
    for group in iter_check_groups(source, SETTINGS, jobs=jobs, executor=executor, window=window):
        results += group
        ahead.append(source.taken - len(ahead) - 1)  # taken, beyond the dossiers yielded so far
    assert [Path(r.source).name for r in results] == [p.name for p in paths]
    assert ahead[0] < len(paths) - 1  # the first result came before the last dossier was taken
    assert max(ahead) <= (0 if jobs == 1 else window)  # a bounded window, whatever the batch size
    if jobs > 1:  # the same results as one process gives
        assert _data(results) == _data(check_many(paths, SETTINGS, jobs=1))


def _data(results) -> list:
    from vanban.check.report.json_report import dossier_data

    return json.loads(json.dumps([dossier_data(r) for r in results], ensure_ascii=False, default=str))


def test_a_broken_dossier_in_the_middle_keeps_the_batch_going(tmp_path):
    paths = _batch(tmp_path / "batch", 5)
    broken = tmp_path / "batch" / "002 hỏng.zip"
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    missing = tmp_path / "batch" / "003 không có"
    paths[2:4] = [broken, missing]
    results = list(iter_check(paths, SETTINGS, jobs=2))
    assert [Path(r.source).name for r in results] == [p.name for p in paths]
    assert [bool(r.failed) for r in results] == [False, False, True, True, False]
    assert all(r.decision.outcome == "can_xem" for r in results[2:4])
    assert results[4].files  # the dossier after the broken ones was read


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_worker_killed_fails_its_dossiers_and_the_rest_are_checked(tmp_path):
    paths = _batch(tmp_path / "batch", 12)
    results = []
    killed = []
    before = set(children(os.getpid()))
    for result in iter_check(paths, SETTINGS, jobs=2, window=4):  # dossiers not yet submitted when it dies
        results.append(result)
        if not killed:  # after the first result, a worker dies (out of memory, killed by an operator)
            workers = [pid for pid in children(os.getpid()) if pid not in before
                       and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]
            assert workers
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])
    assert [Path(r.source).name for r in results] == [p.name for p in paths]
    lost = [r for r in results if r.failed]
    assert lost and all("lỗi khi kiểm tra" in r.failed for r in lost)
    assert not results[-1].failed and results[-1].files  # a new pool checked the rest


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_each_format_streamed_has_the_bytes_of_the_list(fmt):
    from test_reports import sample_results

    sample = sample_results()
    for results in ([], sample[:1], sample, sample * 3):
        assert _rendered(_renderer(fmt), results) == _listed(fmt, results), (fmt, len(results))
        assert _rendered(_renderer(fmt), results, hold=True) == _listed(fmt, results), (fmt, len(results))
    pieces: list[str] = []
    stream = StreamedReport(_renderer(fmt), sink=pieces.append)
    stream.add(sample[0])
    assert bool(pieces) == (not stream.renderer.spool)  # the others reach the screen as they come


def test_cli_reports_are_the_bytes_of_the_list_rendering(tmp_path):
    paths = discover([FIXTURES])
    listed = check_many(paths, SETTINGS, jobs=1)
    _same_as_cli(listed, [FIXTURES], tmp_path)


@pytest.mark.realdocs
def test_cli_reports_on_real_dossiers_are_the_bytes_of_the_list_rendering(realdocs, tmp_path):
    paths = [realdocs / "dossiers" / name for name in REAL]
    listed = check_many(paths, SETTINGS, jobs=1)
    _same_as_cli(listed, paths, tmp_path)


def _same_as_cli(listed, args: list[Path], tmp_path: Path) -> None:
    for fmt in ("text", "json", "sarif", "junit"):
        out = tmp_path / f"report.{fmt}"
        extra = ["--summary", str(tmp_path / "summary.csv"), "--html", str(tmp_path / "html")] if fmt == "json" else []
        done = subprocess.run([sys.executable, "-m", "vanban", "check", *map(str, args), "--jobs", "2",
                               "--format", fmt, "-o", str(out), *extra], capture_output=True, timeout=900,
                              env=dict(os.environ, VANBAN_OCR="off"))
        assert done.returncode in (0, 1, 7), done.stderr.decode()
        got = out.read_bytes()
        generated = json.loads(got)["generated"] if fmt == "json" else None
        want = FORMATS[fmt](listed, generated=generated) if fmt == "json" else FORMATS[fmt](listed)
        assert got == want.encode("utf-8"), fmt
        # the screen gets the same bytes
        screen = subprocess.run([sys.executable, "-m", "vanban", "check", *map(str, args), "--jobs", "2",
                                 "--format", fmt], capture_output=True, timeout=900, env=dict(os.environ, VANBAN_OCR="off"))
        if fmt == "json":
            want = FORMATS[fmt](listed, generated=json.loads(screen.stdout)["generated"])
        assert screen.stdout == want.encode("utf-8"), fmt
    write_summary(listed, tmp_path / "listed.csv")
    assert (tmp_path / "summary.csv").read_bytes() == (tmp_path / "listed.csv").read_bytes()
    write_html(listed, tmp_path / "listed-html")
    assert _tree(tmp_path / "html") == _tree(tmp_path / "listed-html")
    assert not list(tmp_path.rglob(".*.tmp"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_summary_and_html_writers_stream_the_same_files(tmp_path):
    from test_reports import sample_results

    results = sample_results() * 2
    for suffix in (".csv", ".xlsx"):
        writer = SummaryWriter(tmp_path / f"streamed{suffix}")
        for r in results:
            writer.add(r)
        writer.close()
        write_summary(results, tmp_path / f"listed{suffix}")
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "listed.csv").read_bytes()
    assert _xlsx_rows(tmp_path / "streamed.xlsx") == _xlsx_rows(tmp_path / "listed.xlsx")
    html = HtmlWriter(tmp_path / "streamed")
    for r in results:
        html.add(r)
        assert not (tmp_path / "streamed" / "index.html").exists()  # put in place at the end only
    html.close()
    write_html(results, tmp_path / "listed")
    assert _tree(tmp_path / "streamed") == _tree(tmp_path / "listed")
    assert len(_tree(tmp_path / "listed")) == len(results) + 1
    assert list(csv.reader(io.StringIO((tmp_path / "streamed.csv").read_text(encoding="utf-8-sig"))))[1][0] == \
        results[0].name


def _xlsx_rows(path: Path) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_a_failure_midway_leaves_no_report_and_no_temp(tmp_path):
    batch = tmp_path / "batch"
    paths = _batch(batch, 4)
    html = tmp_path / "html"
    html.mkdir()
    # the third dossier's page is there already: without --force the run stops when it gets there
    from vanban.check.report.html import slug

    used = {"index"}
    third = [slug(p.name, used) for p in paths][2] + ".html"
    (html / third).write_text("cũ", encoding="utf-8")
    out, summary = tmp_path / "out" / "report.junit.xml", tmp_path / "out" / "summary.csv"
    done = subprocess.run([sys.executable, "-m", "vanban", "check", str(batch), "--jobs", "2", "--format", "junit",
                           "-o", str(out), "--summary", str(summary), "--html", str(html),
                           "--review-form", str(tmp_path / "forms")],
                          capture_output=True, text=True, timeout=600, env=dict(os.environ, VANBAN_OCR="off"))
    assert done.returncode == 4, done.stderr
    assert third in done.stderr and "--force" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in html.iterdir()) == [third]  # the pages written before are removed
    assert (html / third).read_text(encoding="utf-8") == "cũ"
    assert not any((tmp_path / "out").iterdir())  # no report, no summary, no temp (nor the JUnit body)
    assert not list(tmp_path.glob("forms/*.docx"))  # nor the phiếu trình written before


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_ctrl_c_after_the_first_pages_removes_them_and_every_temp(tmp_path):
    batch = tmp_path / "batch"
    _batch(batch, 60)
    out = tmp_path / "out"
    html = out / "html"
    command = subprocess.Popen([sys.executable, "-m", "vanban", "check", str(batch), "--jobs", "2", "--format", "json",
                                "-o", str(out / "report.json"), "--summary", str(out / "summary.csv"),
                                "--html", str(html)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               env=dict(os.environ, VANBAN_OCR="off"),
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    pages: list[Path] = []
    while len(pages) < 2 and time.monotonic() < deadline and command.poll() is None:
        time.sleep(0.1)
        pages = [p for p in html.glob("*.html")] if html.exists() else []
    assert len(pages) >= 2 and command.poll() is None, "no page was written while the batch ran"
    assert not (html / "index.html").exists() and not (out / "report.json").exists()
    temps = [p.name for p in out.rglob(".*.tmp")]
    assert any(name.startswith(".report.json.") for name in temps)  # the report is being written
    workers = children(command.pid)
    os.killpg(command.pid, signal.SIGINT)
    _, stderr = command.communicate(timeout=60)
    text = stderr.decode("utf-8", "replace")
    assert command.returncode != 0 and "Đã hủy" in text and "Traceback" not in text, text
    assert not [p for p in out.rglob("*") if p.is_file()]  # no report, no summary, no page, no temp
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)


def test_the_default_window_is_bounded_and_wider_than_the_workers():
    from vanban.check.engine import default_window

    assert default_window(1) == 16 and default_window(2) == 16 and default_window(8) == 64
