"""Start-up: ``vanban --help`` and ``--version`` load none of the heavy libraries.

Each case runs in a fresh interpreter (``python -m vanban …``) and prints the
modules it ended up with; spaCy, pypdf, pyHanko and docxtpl take seconds to
import and are only for the commands that read or write documents.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("spacy", "pypdf", "pyhanko", "docxtpl", "docx", "matplotlib", "openpyxl")

PROBE = """
import json, runpy, sys
sys.argv = ["vanban"] + json.loads(sys.argv[1])
try:
    runpy.run_module("vanban", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("\\n" + json.dumps({"code": code, "modules": sorted(m for m in sys.modules if "." not in m)}))
"""


def _start(args: list[str]) -> tuple[int, set[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=120)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["check", "--help"], ["inspect", "--help"]])
def test_help_and_version_load_no_heavy_library(args):
    code, modules, out = _start(args)
    assert code in (0, None)
    assert "vanban" in modules and "click" in modules  # the probe really ran the command
    assert not modules & set(HEAVY), f"vanban {' '.join(args)} nạp {sorted(modules & set(HEAVY))}"
    if args == ["--help"]:
        assert "Các lệnh" in out and "check" in out
    if args == ["--version"]:
        from vanban import __version__

        assert __version__ in out


def test_the_probe_sees_a_command_that_reads(tmp_path):
    """The same probe on a command that reads a document does see spaCy: the check above can fail."""
    from pathlib import Path

    sample = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "dossiers").rglob("*.docx"))[0]
    code, modules, out = _start(["inspect", str(sample)])
    assert code in (0, None), out
    assert "spacy" in modules
