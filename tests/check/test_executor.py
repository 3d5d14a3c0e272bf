"""Batches: LibreOffice once per batch, and the same results whatever the number of workers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from proctree import alive, children

import vanban.read.convert as convert
from vanban.check.engine import Checker, CheckSettings, check_many, discover
from vanban.check.report.json_report import to_json_data

REPO = Path(__file__).resolve().parents[2]

# Three real dossiers with four .doc files between them (one, two and one).
WITH_DOC = (
    "Tờ trình 238 CAT báo cáo CTMTQG",
    "29-11 TTr 3367 So NV",
    "Tờ trình 124 Kế hoạch Phát động Phong trào thi đua Đẩy mạnh cải cách hành chính",
)


def _comparable(results) -> list[dict]:
    return json.loads(json.dumps(to_json_data(results)["dossiers"], ensure_ascii=False, default=str))


@pytest.mark.realdocs
def test_one_libreoffice_start_for_a_batch(realdocs, soffice, tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))  # nothing converted yet
    batch = tmp_path / "batch"
    for name in WITH_DOC:
        shutil.copytree(realdocs / "dossiers" / name, batch / name)
    starts = []
    run = convert._run_soffice

    def counted(exe, inputs, outdir, timeout):
        starts.append(len(inputs))
        return run(exe, inputs, outdir, timeout)

    monkeypatch.setattr(convert, "_run_soffice", counted)
    paths = discover([batch])
    assert len(paths) == 3
    results = check_many(paths, CheckSettings(ocr="off"), jobs=1)
    assert starts == [4]  # was one start per dossier
    assert all(not f.problem for r in results for f in r.files if f.name.lower().endswith(".doc"))

    # each dossier checked on its own (conversions now from the cache): the same results, no new start
    checker = Checker(CheckSettings(ocr="off"))
    alone = [result for path in paths for result in checker.check_all(path)]
    assert starts == [4]
    assert _comparable(results) == _comparable(alone)


def test_two_workers_give_what_one_gives(tmp_path):
    dossiers = discover([REPO / "fixtures" / "dossiers"])
    assert len(dossiers) == 4
    settings = CheckSettings(ocr="off")
    one = check_many(dossiers, settings, jobs=1)
    two = check_many(dossiers, settings, jobs=2)
    assert [r.decision.outcome for r in one] == [r.decision.outcome for r in two]
    assert _comparable(one) == _comparable(two)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_ctrl_c_stops_the_workers_without_tracebacks(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    source = REPO / "fixtures" / "dossiers" / "01 Hồ sơ đầy đủ - Tờ trình 05 SNV"
    batch = tmp_path / "batch"
    for i in range(400):  # minutes of work even on an idle machine: Ctrl-C comes in the middle
        shutil.copytree(source, batch / f"{i:03d} {source.name}")
    out = tmp_path / "ket-qua.json"
    # a session of its own: Ctrl-C in a terminal signals the whole foreground process group
    command = subprocess.Popen([sys.executable, "-m", "vanban", "check", str(batch), "--jobs", "2", "--format", "json",
                                "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, env=dict(os.environ, VANBAN_OCR="off"),
                               # as from a terminal: a shell without job control starts `pytest &` with Ctrl-C
                               # ignored, and an ignored signal stays ignored in every child
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and command.poll() is None:
        time.sleep(0.2)
        workers = children(command.pid)
    assert len(workers) >= 2 and command.poll() is None, "the workers did not start"
    time.sleep(1)  # into the batch
    os.killpg(command.pid, signal.SIGINT)
    _, stderr = command.communicate(timeout=60)
    text = stderr.decode("utf-8", "replace")
    assert command.returncode != 0
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert "Đã hủy" in text
    assert not out.exists()  # no half-written report
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)


def _cli_json(args: list[str], tmp_path: Path, name: str) -> list[dict]:
    import subprocess
    import sys

    out = tmp_path / name
    done = subprocess.run([sys.executable, "-m", "vanban", "check", str(REPO / "fixtures" / "dossiers"),
                           "--format", "json", "-o", str(out), *args], capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1, 7), done.stderr  # accepted, returned, to look at: all judged
    assert "Traceback" not in done.stderr
    return json.loads(out.read_text(encoding="utf-8"))["dossiers"]


def test_dask_gives_the_json_of_the_local_run(tmp_path):
    """``--executor dask-local`` and ``--executor dask://HOST:PORT`` (a LocalCluster) report what ``--jobs 1`` does."""
    pytest.importorskip("distributed", reason="Dask chưa được cài: pip install 'vanban[dask]'")
    from distributed import LocalCluster

    local = _cli_json(["--jobs", "1"], tmp_path, "local.json")
    assert len(local) == 4
    assert _cli_json(["--jobs", "2", "--executor", "dask-local"], tmp_path, "dask-local.json") == local
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        assert _cli_json(["--executor", address], tmp_path, "dask-remote.json") == local


def test_unknown_executor_is_a_usage_error(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "vanban", "check", str(REPO / "fixtures" / "dossiers"),
                           "--executor", "spark"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--executor" in done.stderr and "dask-local" in done.stderr and "Traceback" not in done.stderr


def test_without_dask_the_error_says_how_to_install(monkeypatch):
    import sys

    from vanban.errors import MissingToolError

    monkeypatch.setitem(sys.modules, "distributed", None)  # as on a machine without the extra
    dossiers = discover([REPO / "fixtures" / "dossiers"])
    with pytest.raises(MissingToolError) as raised:
        check_many(dossiers, CheckSettings(ocr="off"), jobs=1, executor="dask-local")
    assert "pip install 'vanban[dask]'" in str(raised.value)
