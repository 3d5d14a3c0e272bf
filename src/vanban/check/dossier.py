"""A folder or .zip → :class:`Dossier`: files collected safely, read, understood, given roles.

Roles come from the patterns in ``data/patterns.yaml`` (first match wins), then
two passes that need the whole dossier: an unsigned typed document of the kind
the submission asks to issue is a draft; the same document present twice
(editable .doc/.docx and signed PDF) is paired and the signed copy preferred.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Callable, Optional

from ..errors import ReadError, VanbanError
from ..model import Document, RawDocument
from ..text import fold, squash_spaces
from . import facts
from .collect import DOCUMENT_SUFFIXES, SUPPORTING_SUFFIXES, Collection, Limits, collect_folder, collect_zip
from .model import (ROLE_DRAFT, ROLE_NOT_PART, ROLE_OTHER, ROLE_SUBMISSION, ROLE_SUPPORTING, Dossier,
                    DossierFile, IntakeProblem)
from .patterns import patterns
from .rules import catalogue

document_date = facts.document_date

Reader = Callable[[str], RawDocument]
Understander = Callable[[RawDocument], Document]

# Kinds of document the UBND issues: an unsigned one in a dossier is a draft.
UBND_KINDS = {"quyet dinh", "ke hoach", "chi thi", "chuong trinh", "cong van", "quy che", "quy dinh",
              "thong bao", "de an", "phuong an", "nghi quyet", "dieu le", "huong dan", "bao cao"}


def prefetching_reader(paths: list[Path]) -> Reader:
    """``read_file``, with the .doc/.rtf among ``paths`` already read by ``read_many``.

    ``read_many`` converts them all in one LibreOffice start instead of one
    start (seconds) per file.
    """
    from ..read import read_file, read_many

    legacy = [path for path in paths if path.suffix.lower() in (".doc", ".rtf")]
    results: dict[str, object] = {}
    if len(legacy) > 1:
        try:
            results = {str(path): result for path, result in read_many(legacy)}
        except Exception:  # an unexpected reader failure: read file by file, each with its own finding
            results = {}

    def read(path: str) -> RawDocument:
        result = results.pop(str(path), None)
        if result is None:
            return read_file(path)
        if isinstance(result, Exception):
            raise result
        return result

    return read


def default_understander() -> Understander:
    from ..understand import understand

    return understand


def intake_finding(rule_id: str, file: Optional[str], **params) -> IntakeProblem:
    catalogue()[rule_id]  # fail early on an unknown ID
    return IntakeProblem(rule_id, file, params)


def collect(source: Path, workdir: Path, limits: Limits = Limits()) -> Collection:
    if source.is_file() and source.suffix.lower() == ".zip":
        return collect_zip(source, workdir, limits)
    if source.is_dir():
        return collect_folder(source, limits)
    if source.is_file():
        raise ReadError("không phải hồ sơ: cần một thư mục hoặc một tệp .zip", source)
    raise ReadError("không tìm thấy thư mục hoặc tệp", source)


def build_dossier(source: Path, workdir: Path, reader: Optional[Reader] = None,
                  understander: Optional[Understander] = None, limits: Limits = Limits()) -> Dossier:
    """Collect, read and understand every file of one dossier; nothing raised for a bad file."""
    understander = understander or default_understander()
    collection = collect(source, workdir, limits)
    if reader is None:
        readable = [item.path for item in collection.files
                    if not item.refused and item.size and Path(item.name).suffix.lower() in DOCUMENT_SUFFIXES]
        reader = prefetching_reader(readable)
    name = source.stem if source.is_file() else source.name
    dossier = Dossier(name=name, source=str(source))
    in_zip = source.is_file()
    for item in collection.files:
        df = DossierFile(name=item.name, path=item.path, size=item.size, sha256=item.sha256)
        dossier.files.append(df)
        suffix = Path(item.name).suffix.lower()
        if item.refused:
            df.problem = item.refused
            df.role = ROLE_OTHER
            if in_zip and not item.oversized:
                dossier.intake_findings.append(intake_finding("VB002", item.name, member=item.name, problem=item.refused))
            else:
                dossier.intake_findings.append(intake_finding("VB001", item.name, problem=item.refused))
            continue
        if suffix not in DOCUMENT_SUFFIXES:
            df.role = ROLE_SUPPORTING
            df.role_reason = "bảng tính/tệp kèm theo" if suffix in SUPPORTING_SUFFIXES else f"tệp {suffix or 'không đuôi'} kèm theo"
            continue
        if item.size == 0:
            df.problem = "tệp rỗng (0 byte)"
            dossier.intake_findings.append(intake_finding("VB001", item.name, problem=df.problem))
            continue
        try:
            raw = reader(str(item.path))
            df.document = understander(raw)
        except VanbanError as exc:
            df.problem = exc.message
        except MemoryError:
            df.problem = "không đủ bộ nhớ để đọc tệp"
        except Exception as exc:  # a reader bug on one odd file must not stop the dossier
            df.problem = f"lỗi khi đọc tệp ({type(exc).__name__}: {exc})"
        if df.problem:
            dossier.intake_findings.append(intake_finding("VB001", item.name, problem=df.problem))
            continue
        raw = df.document.source
        if raw.is_scan:
            dossier.intake_findings.append(intake_finding("VB003", item.name, pages=raw.page_count))
    return _give_roles(dossier)


def _give_roles(dossier: Dossier) -> Dossier:
    from .classify import classify

    assign_roles(dossier)
    pair_twins(dossier)
    dossier.classification = classify(dossier.files)
    return dossier


def sub_dossier(dossier: Dossier, folder: str) -> Dossier:
    """The files of one top-level sub-folder as a dossier of their own, from what was read already
    (no file is read or converted again); roles and pairs are given anew within the sub-folder."""
    prefix = folder + "/"
    joint = ":" if dossier.source.lower().endswith(".zip") else "/"
    part = Dossier(name=f"{dossier.name}/{folder}", source=f"{dossier.source}{joint}{folder}")
    for f in dossier.files:
        if f.name.startswith(prefix):
            part.files.append(dataclasses.replace(f, name=f.name[len(prefix):], role=ROLE_OTHER, role_reason="",
                                                  twin_of=None, preferred=True))
    part.intake_findings = [dataclasses.replace(p, file=p.file[len(prefix):]) for p in dossier.intake_findings
                            if p.file and p.file.startswith(prefix)]
    return _give_roles(part)


# --------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------

def _matches(pattern, df: DossierFile) -> bool:
    doc = df.document
    if pattern.doc_type and (doc.doc_type not in pattern.doc_type):
        return False
    if pattern.no_doc_type and doc.doc_type and doc.doc_type not in ("Tờ trình",):
        # the file name says tờ trình but the text says otherwise: trust the text
        return False
    if pattern.filename and not pattern.filename.search(fold(Path(df.name).name)):
        return False
    if pattern.heading and not pattern.heading.search(facts.heading_text(doc)):
        return False
    if pattern.body and not pattern.body.search(facts.folded_text(doc)):
        return False
    # the DỰ THẢO mark only: "Tờ trình dự thảo Kế hoạch….doc" is a submission about a draft
    if pattern.draft_mark is not None and bool(doc.marks.draft) != pattern.draft_mark:
        return False
    if pattern.numbered is not None and facts.is_numbered(doc) != pattern.numbered:
        return False
    if pattern.signed is not None and facts.is_signed(doc) != pattern.signed:
        return False
    return True


_DRAFT_NAME = re.compile(r"du[ _-]?thao")


def _draft_named(df: DossierFile) -> bool:
    return bool(_DRAFT_NAME.search(fold(Path(df.name).name)))


def assign_roles(dossier: Dossier) -> None:
    """Roles by content: the submission first (who writes to whom, asking what), then the patterns."""
    from .classify import is_central, is_organisation, submission_reason

    rules = [p for p in patterns().roles if p.role != ROLE_SUBMISSION]
    for df in dossier.files:
        if df.document is None:
            continue
        reason = None if facts.heading_text(df.document).startswith("phieu trinh") else submission_reason(df)
        if reason:
            df.role, df.role_reason = ROLE_SUBMISSION, reason
            continue
        for pattern in rules:
            if _matches(pattern, df):
                df.role, df.role_reason = pattern.role, pattern.reason
                break
        else:
            df.role, df.role_reason = ROLE_OTHER, ""
    # an organisation's own request (the association's tờ trình) is a component of the agency's dossier
    subs = [f for f in dossier.files if f.role == ROLE_SUBMISSION]
    if any(not is_organisation(f.document) for f in subs):
        for f in subs:
            if is_organisation(f.document):
                f.role, f.role_reason = ROLE_SUPPORTING, "văn bản đề nghị của tổ chức, kèm theo hồ sơ"
        subs = [f for f in subs if f.role == ROLE_SUBMISSION]
    # second pass: what the submission asks to issue
    wanted: list[str] = []
    for sub in subs:
        wanted += facts.requested_kinds(sub.document)
    for df in dossier.files:
        if df.document is None or df.role != ROLE_OTHER:
            continue
        doc = df.document
        kind = facts.doc_kind(doc) or _kind_from_name(df.name)
        numbered_and_signed = facts.is_numbered(doc) and (facts.is_signed(doc) or facts.document_date(doc))
        outsider = is_central(doc) or is_organisation(doc)
        if kind and numbered_and_signed and kind in UBND_KINDS and _issued_by_ubnd(doc):
            df.role, df.role_reason = ROLE_NOT_PART, "văn bản đã ban hành (có số, ngày)"
        elif outsider:
            df.role, df.role_reason = ROLE_SUPPORTING, "văn bản của cơ quan, tổ chức khác, kèm theo hồ sơ"
        elif kind and kind in wanted and not numbered_and_signed:
            df.role, df.role_reason = ROLE_DRAFT, f"{facts.kind_label(kind)} chưa ký, loại văn bản tờ trình đề nghị ban hành"
        elif kind and kind in UBND_KINDS and not numbered_and_signed and (subs or _issued_by_ubnd(doc)):
            df.role, df.role_reason = ROLE_DRAFT, f"{facts.kind_label(kind)} chưa ký, chưa có số"
        elif kind and kind in UBND_KINDS and _blank_number(doc) and not facts.is_signed(doc):
            # "Số:      /BCĐ": a number line left blank for the day it is signed
            df.role, df.role_reason = ROLE_DRAFT, f"{facts.kind_label(kind)} chờ ký (số để trống)"
        elif facts.is_numbered(doc):
            df.role, df.role_reason = ROLE_SUPPORTING, "văn bản có số, tài liệu tham khảo"


def _blank_number(doc: Document) -> bool:
    return doc.number is not None and not doc.number.number


def _issued_by_ubnd(doc: Document) -> bool:
    agency = fold(doc.issuing_agency.text) if doc.issuing_agency else ""
    parent = fold(doc.parent_agency.text) if doc.parent_agency else ""
    issuer = fold(doc.number.issuer_abbr or "") if doc.number else ""
    return ("uy ban nhan dan" in agency and "van phong" not in agency) or agency.startswith("ubnd") \
        or (issuer == "ubnd" and not parent)


def _kind_from_name(name: str) -> Optional[str]:
    folded = fold(Path(name).stem).replace("-", " ").replace("_", " ")
    for kind in UBND_KINDS:
        if re.search(rf"\b{kind}\b", folded):
            return kind
    if re.search(r"\bqd\b", folded):
        return "quyet dinh"
    if re.search(r"\bkh\b", folded):
        return "ke hoach"
    return None


# --------------------------------------------------------------------------
# The same document twice
# --------------------------------------------------------------------------

def _twin_key(df: DossierFile) -> Optional[str]:
    doc = df.document
    if doc.subject and doc.subject.text.strip():
        subject = re.sub(r"[^a-z0-9 ]", "", squash_spaces(fold(doc.subject.text)))
        return f"{fold(doc.doc_type or '')}|{subject[:120]}"
    return None


def _stem_key(df: DossierFile) -> str:
    return squash_spaces(fold(Path(df.name).stem)).replace(".signed", "").replace(".kydauden", "")


def pair_twins(dossier: Dossier) -> None:
    """Group copies of one document; the signed (then numbered, then PDF) copy is preferred."""
    docs = [f for f in dossier.files if f.document is not None]
    groups: dict[str, list[DossierFile]] = {}
    for df in docs:
        key = _twin_key(df) or f"stem|{_stem_key(df)}"
        groups.setdefault(key, []).append(df)
    # copies whose subject could not be read on one side: fall back to the file stem
    by_stem: dict[str, list[DossierFile]] = {}
    for df in docs:
        by_stem.setdefault(_stem_key(df), []).append(df)
    for same in by_stem.values():
        if len(same) > 1 and len({id(g) for g in groups.values() for d in g if d in same}) > 1:
            merged = []
            for key in [k for k, g in groups.items() if any(d in same for d in g)]:
                merged += groups.pop(key)
            groups["stem|" + _stem_key(same[0])] = merged
    for group in [g for whole in groups.values() for g in _split_by_number(whole)]:
        if len(group) < 2:
            continue
        roles = {f.role for f in group}
        if len(roles) > 1 and not roles <= {ROLE_SUBMISSION, ROLE_OTHER, ROLE_DRAFT}:
            continue
        group.sort(key=lambda f: (not facts.is_signed(f.document), not facts.is_numbered(f.document),
                                  f.document.source.format != "pdf", f.name))
        best = group[0]
        if ROLE_SUBMISSION in roles:
            for f in group:
                if f.role in (ROLE_OTHER, ROLE_DRAFT) and not f.document.marks.draft:
                    f.role, f.role_reason = ROLE_SUBMISSION, "bản khác của văn bản trình"
        for f in group[1:]:
            f.preferred = False
            f.twin_of = best.name
        best.twin_of = group[1].name if len(group) > 1 else None


def _split_by_number(group: list[DossierFile]) -> list[list[DossierFile]]:
    """Documents with the same trích yếu but different numbers are different documents
    (two công điện on one matter; an older tờ trình on the same request)."""
    numbers = {f.document.number.number for f in group if facts.is_numbered(f.document)}
    if len(numbers) <= 1:
        return [group]
    by_number: dict[str, list[DossierFile]] = {}
    loose = []
    for f in group:
        if facts.is_numbered(f.document):
            by_number.setdefault(f.document.number.number, []).append(f)
        else:
            loose.append(f)
    out = list(by_number.values())
    for f in loose:
        home = next((g for g in out if any(_stem_key(x) == _stem_key(f) for x in g)), None)
        if home is not None:
            home.append(f)
        else:
            out.append([f])
    return out
