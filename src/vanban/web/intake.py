"""Tiếp nhận hồ sơ from the browser: store the upload, check it in the background, keep the register.

The check, the phiếu trình, the công văn trả hồ sơ and the reports are the library's
(:class:`vanban.check.engine.Checker`, :mod:`vanban.check.report`), called as
``vanban check --review-form --return-letter --format json --html`` calls them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import queue
import shutil
import tempfile
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..check.engine import Checker, CheckSettings
from ..check.model import CheckOptions, DossierResult
from ..check.report import to_json, to_json_data
from ..check.report.html import dossier_page
from ..check.report.per_dossier import output_name
from ..check.report.prose import agency_name
from ..check.report.return_letter import return_signer, write_return_letters
from ..check.report.review_form import review_unit, write_review_forms
from ..errors import VanbanError
from .security import UploadRefused, check_zip, safe_upload_name
from .store import User, WebStore


@dataclass(frozen=True)
class Upload:
    name: str  # a bare file name (safe_upload_name)
    data: bytes


def prepare(files: list[tuple[Optional[str], bytes]], limits) -> list[Upload]:
    """Every file named, every .zip looked into, before anything is stored; UploadRefused otherwise."""
    uploads, seen = [], set()
    if not files:
        raise UploadRefused("chưa chọn tệp nào để tải lên")
    if len(files) > limits.max_files:
        raise UploadRefused(f"tải lên {len(files)} tệp, vượt giới hạn {limits.max_files} tệp một lần")
    for raw_name, data in files:
        name = safe_upload_name(raw_name)
        if name.casefold() in seen:
            raise UploadRefused(f"tệp '{name}' được chọn hai lần")
        seen.add(name.casefold())
        if not data:
            raise UploadRefused(f"tệp '{name}' rỗng (0 byte)")
        if name.lower().endswith(".zip"):
            check_zip(name, data, limits.zip)
        uploads.append(Upload(name, data))
    return uploads


def check_options(form, meetings: dict) -> dict:
    """What the clerk said about the dossier (as ``vanban check --received --meeting --meeting-kind
    --assigned-to-head``), checked; UploadRefused with a Vietnamese message otherwise."""
    from ..dates import parse_date

    out: dict = {}
    for key, label in (("received", "ngày hồ sơ đến"), ("meeting", "ngày phiên họp")):
        value = (form.get(key) or "").strip()
        if value:
            try:
                out[key] = parse_date(value).isoformat()
            except ValueError as exc:
                raise UploadRefused(f"{label}: {exc}") from None
    kind = (form.get("meeting_kind") or "").strip()
    if kind:
        if "meeting" not in out:
            raise UploadRefused("loại phiên họp cần đi kèm ngày phiên họp")
        if kind not in meetings:
            raise UploadRefused(f"loại phiên họp '{kind}' không có trong profile (có: {', '.join(meetings)})")
        out["meeting_kind"] = kind
    if form.get("assigned_to_head"):
        out["assigned_to_head"] = True
    return out


def _options(stored: Optional[str]) -> CheckOptions:
    data = json.loads(stored or "{}")
    day = lambda key: dt.date.fromisoformat(data[key]) if data.get(key) else None  # noqa: E731
    return CheckOptions(received=day("received"), meeting=day("meeting"), meeting_kind=data.get("meeting_kind"),
                        assigned_to_head=data.get("assigned_to_head"))


def _relative(source: str, work: Path) -> str:
    path = Path(source)
    return path.relative_to(work).as_posix() if path.is_relative_to(work) else path.name


def dossier_name(uploads: list[Upload], given: str = "") -> str:
    if given.strip():
        return " ".join(given.split())
    first = uploads[0].name
    return first.rsplit(".", 1)[0] if "." in first else first


def _register_row(result: DossierResult) -> dict:
    s = result.submission
    return {"name": result.name, "agency": agency_name(s.issuer) if s and s.issuer else None, "number": s.number if s else None,
            "doc_date": s.date if s else None, "subject": s.subject if s else None,
            "outcome": result.decision.outcome, "decision": result.decision.label,
            "files": json.dumps([[f.name, f.sha256] for f in result.files], ensure_ascii=False)}


class IntakeService:
    """A queue of uploaded dossiers and the threads that check them (one Checker per thread)."""

    def __init__(self, store: WebStore, office, settings: CheckSettings, workers: int = 1):
        self.store = store
        self.office = office
        self.settings = settings
        self.workers = workers
        self.queue: "queue.Queue[Optional[int]]" = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._local = threading.local()

    # ------------------------------------------------------------ submitting
    def submit(self, user: User, uploads: list[Upload], name: str = "", batch: Optional[str] = None,
               options: Optional[dict] = None) -> int:
        """Store the files and queue the check; ``options`` as :func:`check_options` gives them."""
        files = [(u.name, self.store.blobs.put_bytes(u.data), len(u.data)) for u in uploads]
        intake_id = self.store.new_intake(user.id, dossier_name(uploads, name), files, batch, options)
        self.queue.put(intake_id)
        return intake_id

    def start(self) -> None:
        for intake_id in self.store.pending_intakes():  # a restart goes on with what was waiting
            self.queue.put(intake_id)
        for i in range(self.workers):
            thread = threading.Thread(target=self._run, name=f"vanban-intake-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        for _ in self._threads:
            self.queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            intake_id = self.queue.get()
            if intake_id is None:
                return
            try:
                self.process(intake_id)
            except Exception as exc:  # the page says so; the next dossier goes on
                traceback.print_exc()
                self.store.set_status(intake_id, "failed", f"lỗi khi kiểm tra ({type(exc).__name__}: {exc})")

    # ------------------------------------------------------------- checking
    def checker(self) -> Checker:
        checker = getattr(self._local, "checker", None)
        if checker is None:
            checker = self._local.checker = Checker(self.settings)
        return checker

    def process(self, intake_id: int) -> None:
        intake = self.store.intake(intake_id)
        self.store.set_status(intake_id, "running")
        files = self.store.intake_files(intake_id)
        stem = output_name(intake["name"], "")
        with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
            work = Path(tmp)
            if len(files) == 1 and files[0]["name"].lower().endswith(".zip"):
                source = work / f"{stem}.zip"
                shutil.copyfile(self.store.blobs.path(files[0]["sha256"]), source)
            else:
                source = work / stem
                source.mkdir()
                for f in files:
                    shutil.copyfile(self.store.blobs.path(f["sha256"]), source / safe_upload_name(f["name"]))
            checker = self.checker()  # this thread's own: its settings carry this dossier's options
            checker.settings = dataclasses.replace(self.settings, options=_options(intake["options"]))
            # the reports name the dossier as uploaded, not the server's temp folder
            results = [dataclasses.replace(r, source=_relative(r.source, work)) for r in checker.check_all(source)]
            artifacts = self._documents(results, work / "out")
        rows = [_register_row(r) for r in results]
        if len(rows) == 1:
            rows[0]["name"] = intake["name"]  # as the clerk named it (the folder name on disk is made safe)
        self.store.finish_intake(intake_id, to_json_data(results), rows, artifacts)

    def _documents(self, results: list[DossierResult], out: Path) -> list[tuple[str, str, str, str]]:
        """The downloads of each result: phiếu trình, công văn trả hồ sơ, JSON and HTML reports."""
        out.mkdir()
        made: list[tuple[str, str, str, str]] = []
        put = self.store.blobs.put_bytes
        for i, r in enumerate(results):
            base = output_name(r.name, "")
            made.append((f"json:{i}", "Báo cáo JSON", f"{base}.json", put(to_json([r]).encode("utf-8"))))
            made.append((f"html:{i}", "Báo cáo HTML", f"{base}.html", put(dossier_page(r).encode("utf-8"))))
        try:
            unit = review_unit(self.office, None)
            signer = return_signer(self.office, None)
        except VanbanError:
            return made
        forms = write_review_forms(results, out / "phieu-trinh", self.office, unit=unit, single=False)
        for i, outcome in enumerate(forms):
            if outcome.path is not None:
                made.append((f"phieu:{i}", "Phiếu trình (dự thảo)", outcome.path.name, put(outcome.path.read_bytes())))
        returned = [i for i, r in enumerate(results) if r.failed or r.decision.outcome == "chuyen_tra"]
        letters = write_return_letters(results, out / "tra-ho-so", self.office, unit=unit, signer=signer,
                                       single=False)
        for i, outcome in zip(returned, letters):
            if outcome.path is not None:
                made.append((f"tra:{i}", "Công văn trả hồ sơ (dự thảo)", outcome.path.name,
                             put(outcome.path.read_bytes())))
        return made


def refuse_message(exc: UploadRefused) -> str:
    return f"Không nhận hồ sơ: {exc}. Không có tệp nào được lưu."
