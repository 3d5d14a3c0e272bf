"""Check one dossier or a batch: collect → rules → policy → :class:`DossierResult`."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sized

from ..calendar import WorkCalendar, load_overrides
from ..errors import VanbanError
from ..legal import LegalRegistry
from . import facts
from .collect import DOCUMENT_SUFFIXES, Limits, is_ignored
from .dossier import Reader, Understander, build_dossier, sub_dossier
from .model import (OUTCOME_LOOK, OUTCOME_VI, ROLE_VI, CheckOptions, Decision, Dossier, DossierResult, FileSummary,
                    Finding, SubmissionSummary)
from .policy import Profile, decide, enabled_rules, load_profile, severity_of
from .rules import RuleContext, run_rules

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class CheckSettings:
    """Everything a worker needs; plain and picklable (paths, not loaded objects)."""

    profile_path: Optional[str] = None
    legal_registry_files: tuple[str, ...] = ()
    calendar_file: Optional[str] = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: CheckOptions = field(default_factory=CheckOptions)
    limits: Limits = field(default_factory=Limits)
    review: bool = False  # also keep the facts a draft phiếu trình needs (DossierResult.review)
    ocr: Optional[str] = None  # off | auto | force: when pages are read by OCR; None: $VANBAN_OCR, else auto
    ocr_cache: bool = True  # reuse the OCR cache (--no-cache: read again)


class Checker:
    """Loaded profile, registry and calendar; reused for every dossier of a process."""

    def __init__(self, settings: CheckSettings, reader: Optional[Reader] = None,
                 understander: Optional[Understander] = None):
        self.settings = settings
        from ..read.ocr import configure, default_options

        configure(default_options(settings.ocr, settings.ocr_cache))  # what the readers of this process do
        self.profile: Profile = load_profile(settings.profile_path)
        self.registry = LegalRegistry.load(settings.legal_registry_files)
        overrides = load_overrides(settings.calendar_file) if settings.calendar_file else None
        self.calendar = WorkCalendar(overrides)
        self.rules = enabled_rules(self.profile, settings.select, settings.ignore)
        self.reader = reader
        self.understander = understander

    def check(self, source: str | Path) -> DossierResult:
        """One result for ``source``; a collection of dossiers stays one result (see :meth:`check_all`)."""
        return self.check_all(source, split=False)[0]

    def check_all(self, source: str | Path, split: bool = True) -> list[DossierResult]:
        """The dossier at ``source``, or, when it is a folder of several dossiers each in its own
        sub-folder (each with its own submission), one result per sub-folder."""
        source = Path(source)
        try:
            with tempfile.TemporaryDirectory(prefix="vanban-check-") as workdir:
                dossier = build_dossier(source, Path(workdir), self.reader, self.understander, self.settings.limits)
                parts = _sub_dossiers(dossier) if split else []
                if not parts:
                    return [self.judge(dossier)]
                return [self.judge(sub_dossier(dossier, part)) for part in parts]
        except VanbanError as exc:
            return [failed_result(source, exc.message)]

    def judge(self, dossier: Dossier) -> DossierResult:
        ctx = RuleContext(dossier, self.profile, self.registry, self.calendar, self.settings.options)
        classification = dossier.classification
        rules = self.rules
        if classification is not None and classification.kind != "submission":
            # nothing to judge but what was taken in: a letter from a ministry, a folder without a submission
            rules = [r for r in rules if r.startswith("VB0") or (r == "VB101" and classification.kind != "incoming")]
        findings, stats = run_rules(ctx, rules, severity_of(self.profile))
        ocr_files = frozenset(f.name for f in dossier.files if f.document is not None and _read_by_ocr(f.document))
        findings = [_say_ocr(f, ocr_files) for f in findings]
        findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule_id, f.file or ""))
        decision = decide(findings, self.profile, classification, ocr_files)
        result = summarize(dossier, findings, stats, decision)
        if self.settings.review:
            from .report.review_form import review_facts

            try:
                facts_for_review = review_facts(dossier, self.registry, ctx.submission_date())
            except Exception:  # the check itself stands; the phiếu then says these facts are missing
                facts_for_review = None
            result = dataclasses.replace(result, review=facts_for_review)
        return result


OCR_REMARK = " (nội dung đọc bằng nhận dạng chữ từ bản quét, cần đối chiếu bản gốc)"


def _say_ocr(finding: Finding, ocr_files: frozenset[str]) -> Finding:
    """A content finding that rests on OCR text says so (layout rules never run on OCR text)."""
    if finding.file not in ocr_files or finding.rule_id in ("VB003", "VB004") or OCR_REMARK in finding.message:
        return finding
    return dataclasses.replace(finding, message=finding.message.rstrip(".") + OCR_REMARK + ".")


def _sub_dossiers(dossier: Dossier) -> list[str]:
    """Sub-folders to check one by one: the dossier is a collection whose submissions each sit in their
    own top-level sub-folder, and nothing but those sub-folders holds a submission."""
    from pathlib import PurePosixPath

    classification = dossier.classification
    if getattr(classification, "kind", None) != "collection":
        return []
    homes = {}
    for f in dossier.submission_copies:
        parts = PurePosixPath(f.name).parts
        if len(parts) < 2:
            return []  # a submission at the top: the folder is one collection, reported as such
        homes.setdefault(parts[0], []).append(f)
    return sorted(homes) if len(homes) >= 2 else []


def _read_by_ocr(doc) -> bool:
    return bool(getattr(doc.source, "ocr_pages", ()))


def failed_result(source: Path, message: str) -> DossierResult:
    """A dossier that could not be checked at all goes to a person: its files prove nothing yet."""
    finding = Finding(rule_id="VB001", severity="error", message=f"Không kiểm tra được hồ sơ: {message}.",
                      clause="", file=source.name, rule_name="Tệp không đọc được")
    return DossierResult(name=source.stem if source.is_file() else source.name, source=str(source),
                         decision=Decision(OUTCOME_LOOK, OUTCOME_VI[OUTCOME_LOOK],
                                           (finding.message + " Cần xem trực tiếp.",)),
                         findings=(finding,), failed=message, kind="failed")


def _date_iso(doc) -> Optional[str]:
    day = facts.document_date(doc)
    return day.isoformat() if day else None


def summarize(dossier: Dossier, findings: list[Finding], stats, decision: Decision) -> DossierResult:
    files = []
    for f in dossier.files:
        doc = f.document
        files.append(FileSummary(
            name=f.name, role=f.role, role_label=ROLE_VI[f.role], reason=f.role_reason,
            format=doc.source.format if doc else None, doc_type=doc.doc_type if doc else None,
            number=(doc.number.raw if doc and doc.number else None), date=_date_iso(doc) if doc else None,
            signed=f.is_signed,
            signers=tuple(s.signer_name for s in doc.source.signatures if s.signer_name) if doc else (),
            problem=f.problem, twin_of=f.twin_of, sha256=f.sha256,
        ))
    submission = None
    sub = dossier.submission
    if sub is not None:
        doc = sub.document
        # the signed copy gives number, date and signatures; the editable one may add text facts
        copies = sorted(dossier.submission_copies, key=lambda c: (not c.is_signed, _read_by_ocr(c.document), c.name))
        number = next((c.document.number for c in copies if c.document.number and c.document.number.number), doc.number)
        date = next((facts.document_date(c.document) for c in copies if facts.document_date(c.document)), None)
        sig = next((c.document.signature for c in copies if c.document.signature and c.document.signature.signer_name),
                   doc.signature)
        issuer = next((c.document.issuing_agency.text for c in copies if c.document.issuing_agency), None)
        subject = next((c.document.subject.text for c in copies if c.document.subject), None)
        number_text = facts.number_text(number)
        read_by_ocr = any(_read_by_ocr(c.document) for c in copies if c.document.number is number)
        number_from = "nhận dạng chữ (OCR)" if read_by_ocr else "văn bản"
        date_doc = next((c.document for c in copies if facts.document_date(c.document)), None)
        date_note = ""
        if date_doc is not None and date_doc.date is not None and getattr(date_doc.date, "uncertain", False):
            date_note = "ngày ghi trên văn bản không khớp thời gian ký số: cần đối chiếu bản gốc"
        classification = dossier.classification
        submission = SubmissionSummary(
            file=sub.name, doc_type=doc.doc_type, number_from=number_from if number_text else None,
            number=number_text, date=date.isoformat() if date else None,
            issuer=" ".join(issuer.split()) if issuer else None,
            signer=sig.signer_name if sig else None, signer_position=sig.position if sig else None,
            subject=" ".join(subject.split()) if subject else None,
            digital_signers=tuple(dict.fromkeys(s.signer_name for c in copies for s in c.document.source.signatures
                                                if s.signer_name)),
            found_because=sub.role_reason,
            chosen_note=getattr(classification, "chosen_note", "") or "",
            ocr=read_by_ocr or _read_by_ocr(doc),
            date_note=date_note,
        )
    classification = dossier.classification
    return DossierResult(name=dossier.name, source=dossier.source, decision=decision, files=tuple(files),
                         submission=submission, findings=tuple(findings), rule_stats=tuple(stats),
                         kind=getattr(classification, "kind", "submission"),
                         incoming=tuple(getattr(classification, "incoming", ()) or ()),
                         items=tuple(getattr(classification, "items", ()) or ()))


# --------------------------------------------------------------------------
# Batch
# --------------------------------------------------------------------------

def _has_documents(folder: Path) -> bool:
    for entry in folder.iterdir():
        if entry.is_file() and entry.suffix.lower() in DOCUMENT_SUFFIXES and not is_ignored(entry.name):
            return True
    return False


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Each PATH is a dossier (folder with documents, or .zip) or a folder of dossiers."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            if _has_documents(path):
                out.append(path)
                continue
            children = sorted(p for p in path.iterdir() if not is_ignored(p.name)
                              and (p.is_dir() or p.suffix.lower() == ".zip"))
            out.extend(children if children else [path])
        else:
            out.append(path)  # reported as a failed dossier
    return out


_WORKER: Optional[Checker] = None


def _init_worker(settings: CheckSettings) -> None:
    global _WORKER
    import signal

    # Ctrl-C reaches the whole process group: the main process stops the batch, workers print nothing
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = Checker(settings)
    try:  # build the language pipeline once per process, not once per file
        from ..understand import get_pipeline  # type: ignore[attr-defined]

        get_pipeline()
    except Exception:
        pass


def _work(path: str) -> list[DossierResult]:
    assert _WORKER is not None
    return _WORKER.check_all(path)


def prefetch_conversions(paths: list[Path]) -> int:
    """Convert the .doc/.rtf of every folder dossier of a batch up front; returns how many files.

    LibreOffice takes seconds to start; started per dossier it cost more than
    checking the dossier. Here it starts once per 40 files of the whole batch
    (and not at all when no .doc/.rtf is there or all are in the conversion
    cache); the dossiers then read their conversions from the cache. Files
    inside .zip dossiers are converted when their dossier is read.
    """
    from ..read import read_many

    legacy: list[Path] = []
    for path in paths:
        if path.is_dir():
            legacy += [f for f in sorted(path.rglob("*")) if f.suffix.lower() in (".doc", ".rtf") and f.is_file()
                       and not any(is_ignored(part) for part in f.relative_to(path).parts)]
    if len(legacy) < 2:
        return 0
    try:
        for _ in read_many(legacy):
            pass
    except Exception:  # each dossier then converts its own files and reports its own problems
        return 0
    return len(legacy)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list(getattr(pool, "_processes", {}).values())  # the executor has no public way to kill
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)


EXECUTORS = ("local", "dask-local", "dask://MÁY:CỔNG")
DASK_HINT = "cài bằng `pip install 'vanban[dask]'`"

_DASK_CHECKERS: dict[str, Checker] = {}


def _dask_work(path: str, settings: CheckSettings) -> list[DossierResult]:
    """One dossier on a Dask worker; the worker keeps one Checker per settings, as a local worker does."""
    key = repr(settings)
    checker = _DASK_CHECKERS.get(key)
    if checker is None:
        checker = _DASK_CHECKERS[key] = Checker(settings)
    return checker.check_all(path)


def check_executor(value: str) -> str:
    """``local``, ``dask-local`` or ``dask://HOST:PORT``; ValueError (in Vietnamese) otherwise."""
    if value in ("local", "dask-local") or (value.startswith("dask://") and len(value) > len("dask://")):
        return value
    raise ValueError(f"'{value}': cần local, dask-local hoặc dask://MÁY:CỔNG")


def _worker_failed(path: Path, exc: BaseException) -> list[DossierResult]:
    return [failed_result(path, f"lỗi khi kiểm tra ({type(exc).__name__}: {exc})")]


def _in_order(paths: Iterator[Path], window: int, submit: Callable[[Path], object],
              wait_some: Callable[[list], Iterable], outcome: Callable[[object, Path], list[DossierResult]]
              ) -> Iterator[list[DossierResult]]:
    """Each path's results, in input order, with at most ``window`` dossiers submitted and not yet
    yielded (running, queued, or done and waiting for an earlier one): memory stays flat however long
    the batch. ``submit(path)`` gives a future, ``wait_some(futures)`` those of them that are done,
    ``outcome(future, path)`` its results (a failed result when the worker raised or died)."""
    pending: dict[object, tuple[int, Path]] = {}  # future → (index, path)
    done: dict[int, list[DossierResult]] = {}  # the reorder buffer
    submitted = yielded = 0
    exhausted = False

    def top_up() -> None:
        nonlocal submitted, exhausted
        while not exhausted and submitted - yielded < window:
            path = next(paths, None)
            if path is None:
                exhausted = True
                return
            pending[submit(path)] = (submitted, path)
            submitted += 1

    top_up()
    while yielded < submitted:
        if yielded not in done:
            for future in wait_some(list(pending)):
                i, path = pending.pop(future)
                done[i] = outcome(future, path)
            continue
        found = done.pop(yielded)
        yielded += 1
        top_up()  # the workers go on while the caller writes this dossier's reports
        yield found


def _local_groups(paths: Iterator[Path], settings: CheckSettings, jobs: int, window: int
                  ) -> Iterator[list[DossierResult]]:
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pools = [ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))]

    def submit(path: Path):
        try:
            return pools[-1].submit(_work, str(path))
        except BrokenProcessPool:  # a worker died (memory, crash): its dossiers failed, the rest go on in a new pool
            pools[-1].shutdown(wait=False)
            pools.append(ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,)))
            return pools[-1].submit(_work, str(path))

    def outcome(future, path: Path) -> list[DossierResult]:
        try:
            return future.result()
        except Exception as exc:  # a worker died (memory, crash): report, go on
            return _worker_failed(path, exc)

    try:
        yield from _in_order(paths, window, submit, lambda fs: wait(fs, return_when=FIRST_COMPLETED).done, outcome)
    except BaseException:  # Ctrl-C, or the caller stopped reading: stop the workers now, not at the batch's end
        for pool in pools:
            _stop(pool)
        raise
    for pool in pools:
        pool.shutdown(wait=True)


def _dask_groups(paths: Iterator[Path], settings: CheckSettings, jobs: int, executor: str, window: int,
                 workers: int) -> Iterator[list[DossierResult]]:
    """The batch on a Dask cluster: a local one (``dask-local``, ``jobs`` worker processes) or a
    running scheduler (``dask://HOST:PORT``, whose workers must see the same paths and have vanban)."""
    from ..errors import MissingToolError

    try:
        from distributed import Client, LocalCluster
        from distributed import wait as dask_wait
    except ImportError as exc:
        raise MissingToolError(f"Cần Dask để chạy --executor {executor}: {DASK_HINT}") from exc
    cluster = None
    try:
        if executor == "dask-local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client("tcp://" + executor[len("dask://"):], timeout=30)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise MissingToolError(f"Không kết nối được bộ lập lịch Dask {executor}: {exc}") from exc

    running: set = set()  # the futures not yet collected (their results are released once collected)

    def outcome(future, path: Path) -> list[DossierResult]:
        running.discard(future)
        try:
            return future.result()
        except Exception as exc:  # a worker died or raised: report, go on
            return _worker_failed(path, exc)

    def submit(path: Path):
        future = client.submit(_dask_work, str(path), settings=settings, pure=False)
        running.add(future)
        return future

    try:
        yield from _in_order(paths, window, submit,
                             lambda fs: dask_wait(fs, return_when="FIRST_COMPLETED").done, outcome)
    finally:
        if running:
            client.cancel(list(running))
        client.close()
        if cluster is not None:
            cluster.close()


def default_window(workers: int) -> int:
    """How many dossiers a batch keeps submitted ahead of its caller: 8 per worker, at least 16. A slow
    dossier (a big appendix, a scan read by OCR) holds back the ones after it (results come in input
    order); a wider window lets the other workers go on meanwhile. The main process holds at most that
    many results (some tens of KB each), however many dossiers."""
    return max(16, 8 * workers)


def iter_check_groups(paths: Iterable[str | Path], settings: CheckSettings, jobs: Optional[int] = None,
                      executor: str = "local", window: Optional[int] = None) -> Iterator[list[DossierResult]]:
    """For each path, in input order, its results (one, or one per sub-folder dossier of a collection),
    as soon as it and every path before it are checked. At most ``window`` (default :func:`default_window`) dossiers
    are submitted ahead of the caller: the main process holds no more than that many results, however
    many dossiers. One broken dossier becomes a failed result, the batch goes on. ``executor``:
    ``local`` (``jobs`` processes of this machine), ``dask-local`` or ``dask://HOST:PORT``; every
    executor gives the same results. ``paths`` may be a lazy iterable (read one at a time)."""
    jobs = jobs or os.cpu_count() or 1
    if executor != "local":
        executor = check_executor(executor)
    count = len(paths) if isinstance(paths, Sized) else None
    if count is not None and count > 1 and executor in ("local", "dask-local"):  # remote workers: their own cache
        prefetch_conversions([Path(p) for p in paths])
    workers = max(1, min(jobs, count)) if count is not None else jobs
    window = max(window or default_window(workers), 1)
    stream = (Path(p) for p in paths)
    if executor != "local":
        return _dask_groups(stream, settings, jobs, executor, window, workers)
    if workers <= 1 or (count is not None and count <= 1):
        return _sequential_groups(stream, settings)
    return _local_groups(stream, settings, workers, window)


def _sequential_groups(paths: Iterator[Path], settings: CheckSettings) -> Iterator[list[DossierResult]]:
    checker = Checker(settings)
    for path in paths:
        yield checker.check_all(path)


def iter_check(paths: Iterable[str | Path], settings: CheckSettings, jobs: Optional[int] = None,
               executor: str = "local", window: Optional[int] = None) -> Iterator[DossierResult]:
    """The results of :func:`iter_check_groups`, one at a time, in input order."""
    groups = iter_check_groups(paths, settings, jobs, executor, window)
    try:
        for group in groups:
            yield from group
    finally:
        groups.close()  # stops the workers when the caller stops early


def check_many(paths: list[Path], settings: CheckSettings, jobs: Optional[int] = None,
               on_done: Optional[Callable[[DossierResult], None]] = None,
               executor: str = "local") -> list[DossierResult]:
    """Every result of :func:`iter_check` in a list (input order); ``on_done`` is called with each."""
    results = []
    for result in iter_check(paths, settings, jobs, executor):
        results.append(result)
        if on_done:
            on_done(result)
    return results
