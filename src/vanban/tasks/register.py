"""Read a task register (.xlsx, .csv, .json) into validated :class:`Task` rows.

Every row is checked on its own: a bad row is reported by sheet and row number
and the good rows are kept. Rows from secret documents are refused (they are
reported on paper, seed 002 Điều 5).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Iterator, Optional

import jsonschema

from .. import guard
from ..config import describe_validation_error
from ..errors import ReadError
from ..resources import load_schema
from ..text import normalize_text, squash_spaces
from .columns import map_headers, required_fields
from .model import RegisterLoad, RowProblem, Task
from .values import BadValue, clean_text, is_empty, parse_date, secrecy_level, split_units

TASK_SCHEMA = "task.schema.json"
DATE_FIELDS = ("issued", "deadline", "completed", "extension_requested", "new_deadline")
HEADER_SCAN_ROWS = 20
MIN_YEAR, MAX_YEAR = 1945, 2100  # dates of a register outside these years are typing errors
MAX_COLUMNS = 200  # a sheet may claim 16,384 columns in its dimension; no register has more than a few dozen

_validator: Optional[jsonschema.Draft202012Validator] = None


def _task_validator() -> jsonschema.Draft202012Validator:
    global _validator
    if _validator is None:
        _validator = jsonschema.Draft202012Validator(load_schema(TASK_SCHEMA),
                                                     format_checker=jsonschema.FormatChecker())
    return _validator


# ---------------------------------------------------------------------------
# Raw rows: (where, {field: cell value}) from each format
# ---------------------------------------------------------------------------

RawRow = tuple[str, dict[str, Any]]


def _rows_from_table(rows: Iterator[tuple], label: str, section: str, path: Path) -> Iterator[RawRow]:
    """Find the header row among the first rows, then yield the mapped data rows."""
    needed = set(required_fields(section))
    columns: Optional[dict[int, str]] = None
    for number, values in enumerate(rows, start=1):
        if columns is None:
            if number > HEADER_SCAN_ROWS:
                return
            mapped = map_headers(values, section)
            if needed <= set(mapped.values()):
                columns = mapped
            continue
        record = {field: values[index] for index, field in columns.items() if index < len(values)}
        if all(is_empty(v) for v in record.values()):
            continue
        yield f"{label}, dòng {number}", record
    if columns is None:
        raise _NoHeader(label)


class _NoHeader(Exception):
    pass


def _xlsx_rows(path: Path, section: str) -> Iterator[RawRow]:
    import openpyxl  # only the xlsx reader needs it

    guard.check_zip(path, what="tệp Excel")  # openpyxl trusts the zip headers
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, defusedxml's refusals …
        raise ReadError("không mở được tệp Excel: tệp hỏng, không phải .xlsx, hoặc chứa khai báo XML không an toàn "
                        f"(DTD/thực thể) ({exc.__class__.__name__})", path) from None
    found = False
    try:
        for sheet in workbook.worksheets:
            if (sheet.max_row or 0) > guard.LIMITS.rows + HEADER_SCAN_ROWS:  # the sheet's own dimension
                guard.check_rows(sheet.max_row - HEADER_SCAN_ROWS, path)
            try:
                for row in _rows_from_table(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),
                                            f"Trang tính '{sheet.title}'",
                                            section, path):
                    found = True
                    yield row
                found = True
            except _NoHeader:
                continue
    finally:
        workbook.close()
    if not found:
        raise ReadError(_no_header_message(section), path)


def _no_header_message(section: str) -> str:
    names = {"register": "'Số, ký hiệu', 'Đơn vị chủ trì', 'Nội dung nhiệm vụ'",
             "programme": "'Nội dung', 'Cơ quan chủ trì', 'Thời gian trình'"}[section]
    return f"không tìm thấy dòng tiêu đề có các cột {names} (xem bảng tên cột trong tasks/data/columns.yaml)"


def _delimiter(text: str) -> str:
    """``;`` (Vietnamese Excel) or ``,``: judged on the first line with several separators,
    so a title line above the header does not decide."""
    for line in text[:20000].splitlines()[:HEADER_SCAN_ROWS]:
        semicolons, commas = line.count(";"), line.count(",")
        if max(semicolons, commas) >= 2:
            return ";" if semicolons > commas else ","
    return ","


def _csv_rows(path: Path, section: str) -> Iterator[RawRow]:
    """Streamed (a 100,000-row register is not held twice in memory)."""
    csv.field_size_limit(guard.LIMITS.cell_chars)
    try:
        with guard.open_regular(path) as binary, io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as fh:
            delimiter = _delimiter(fh.read(20000))
            fh.seek(0)
            # counted first (fast, in C): a register over the limit is refused before any row is parsed
            guard.check_rows(sum(1 for _ in csv.reader(fh, delimiter=delimiter)) - 1, path)
            fh.seek(0)
            reader = csv.reader(fh, delimiter=delimiter)
            yield from _rows_from_table((tuple(r) for r in reader), "Tệp CSV", section, path)
    except csv.Error as exc:
        where = f" ở dòng {reader.line_num}" if "reader" in locals() else ""
        problem = (f"có ô dài quá {guard.number_text(guard.LIMITS.cell_chars)} ký tự" if "field larger" in str(exc)
                   else f"sai cú pháp CSV ({exc})")
        raise ReadError(f"tệp CSV {problem}{where}", path) from None
    except UnicodeDecodeError:
        raise ReadError("tệp CSV không phải UTF-8 (hãy lưu lại với mã hóa UTF-8)", path) from None
    except _NoHeader:
        raise ReadError(_no_header_message(section), path) from None
    except OSError as exc:
        raise ReadError(f"không đọc được tệp ({exc.strerror})", path) from None


def _json_rows(path: Path, section: str) -> Iterator[RawRow]:
    try:
        data = guard.load_json(guard.read_text(path, guard.LIMITS.table_bytes, "sổ nhiệm vụ", ReadError), path)
    except json.JSONDecodeError as exc:
        raise ReadError(f"JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}", path) from None
    if isinstance(data, dict):
        data = data.get("tasks", data.get("items"))
    if not isinstance(data, list):
        raise ReadError("tệp JSON phải là một danh sách nhiệm vụ (hoặc {\"tasks\": [...]})", path)
    guard.check_rows(len(data), path)
    fields = set(load_schema(TASK_SCHEMA)["properties"]) if section == "register" else None
    for number, item in enumerate(data, start=1):
        where = f"Mục {number}"
        if not isinstance(item, dict):
            yield where, {"__error__": "không phải một bảng khóa: giá trị"}
            continue
        # keys are either field names or Vietnamese headers
        mapped = map_headers(item.keys(), section)
        record = {}
        for index, (key, value) in enumerate(item.items()):
            if index in mapped:
                record[mapped[index]] = value
            elif fields is None or key in fields:
                record[key] = value
        yield where, record


def raw_rows(path: str | Path, section: str = "register") -> Iterator[RawRow]:
    """The mapped rows of a register, within the limits of :mod:`vanban.guard` (file size, rows,
    cell length, JSON depth; a FIFO or device is refused without blocking)."""
    path = Path(path)
    guard.check_size(path, guard.LIMITS.table_bytes, "sổ nhiệm vụ")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _limited(_xlsx_rows(path, section), path)
    if suffix == ".csv":
        return _limited(_csv_rows(path, section), path)
    if suffix == ".json":
        return _limited(_json_rows(path, section), path)
    raise ReadError(f"không hỗ trợ định dạng '{suffix or '(không đuôi)'}'; dùng .xlsx, .csv hoặc .json", path)


def _limited(rows: Iterator[RawRow], path: Path) -> Iterator[RawRow]:
    for count, row in enumerate(rows, start=1):
        guard.check_rows(count, path)
        yield row


# ---------------------------------------------------------------------------
# Raw row → Task
# ---------------------------------------------------------------------------

FIELD_LABELS = {
    "symbol": "Số, ký hiệu", "issued": "Ngày ban hành", "unit": "Đơn vị chủ trì", "content": "Nội dung nhiệm vụ",
    "deadline": "Hạn xử lý", "completed": "Ngày hoàn thành", "extension_requested": "Ngày đề nghị gia hạn",
    "new_deadline": "Hạn mới", "summary": "Trích yếu", "coordinators": "Đơn vị phối hợp",
}


def _label(field: str) -> str:
    return f"'{FIELD_LABELS.get(field, field)}'"


def stable_id(symbol: str, issued: dt.date, unit: str, content: str) -> str:
    """Source symbol + a hash of what identifies the task (not its deadline or result, which change).

    Texts are compared NFC, case-folded, spaces squashed (clean_text did the rest).
    """
    identity = "|".join([squash_spaces(normalize_text(symbol)).casefold(), issued.isoformat(),
                         squash_spaces(normalize_text(unit)).casefold(),
                         squash_spaces(normalize_text(content)).casefold()])
    return f"{squash_spaces(symbol)}#{hashlib.sha1(identity.encode('utf-8')).hexdigest()[:10]}"


def _record(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Cells → JSON-like record (ISO dates, clean strings) and the problems met."""
    problems: list[str] = []
    record: dict[str, Any] = {}
    for field, value in raw.items():
        if field in DATE_FIELDS:
            try:
                day = parse_date(value)
            except BadValue as exc:
                problems.append(f"cột {_label(field)}: {exc}")
                continue
            if day and not MIN_YEAR <= day.year <= MAX_YEAR:  # 31/12/9999 "no deadline" overflows every count
                problems.append(f"cột {_label(field)}: ngày {day:%d/%m/%Y} ngoài khoảng hợp lý "
                                f"(năm {MIN_YEAR}–{MAX_YEAR}); nhiệm vụ không có hạn thì để trống ô")
                continue
            record[field] = day.isoformat() if day else None
        elif field == "coordinators":
            record[field] = [] if is_empty(value) else split_units(value)
        else:
            record[field] = clean_text(value)
    for field in ("symbol", "unit", "content", "issued"):
        if record.get(field) is None and not any(field in p for p in problems):
            problems.append(f"thiếu {_label(field)}")
    return record, problems


# Shapes (field, type, empty?) already found valid. Values come from our own parsers (ISO dates,
# cleaned strings), so a row with a known-valid shape is valid: this spares the validator on large
# registers without weakening the check (a new shape is always validated in full).
_VALID_SHAPES: set[tuple] = set()


def _schema_problems(record: dict[str, Any]) -> list[str]:
    shape = tuple(sorted((k, type(v).__name__, not v) for k, v in record.items()))
    if shape in _VALID_SHAPES:
        return []
    problems = [describe_validation_error(e) for e in _task_validator().iter_errors(record)]
    if not problems:
        _VALID_SHAPES.add(shape)
    return problems


def _semantic_problems(record: dict[str, Any]) -> list[str]:
    problems = []
    issued, deadline = record.get("issued"), record.get("deadline")
    if issued and deadline and deadline < issued:
        problems.append(f"hạn xử lý {_vn(deadline)} trước ngày ban hành {_vn(issued)}")
    if issued and record.get("completed") and record["completed"] < issued:
        problems.append(f"ngày hoàn thành {_vn(record['completed'])} trước ngày ban hành {_vn(issued)}")
    requested, new = record.get("extension_requested"), record.get("new_deadline")
    if new and not requested:
        problems.append("có 'Hạn mới' nhưng thiếu 'Ngày đề nghị gia hạn' (không xác định được đề nghị có kịp thời)")
    if new and not deadline:
        problems.append("có 'Hạn mới' nhưng nhiệm vụ không có hạn xử lý ban đầu")
    if new and deadline and new < deadline:
        problems.append(f"hạn mới {_vn(new)} trước hạn ban đầu {_vn(deadline)}")
    return problems


def _vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _task(record: dict[str, Any], where: str) -> Task:
    def day(name: str) -> Optional[dt.date]:
        value = record.get(name)
        return dt.date.fromisoformat(value) if value else None

    issued = day("issued")
    task_id = record.get("id") or stable_id(record["symbol"], issued, record["unit"], record["content"])
    return Task(id=task_id, symbol=record["symbol"], issued=issued, unit=record["unit"], content=record["content"],
                doc_type=record.get("doc_type"), summary=record.get("summary"), signer=record.get("signer"),
                proposer=record.get("proposer"), coordinators=tuple(record.get("coordinators") or ()),
                deadline=day("deadline"), completed=day("completed"), result=record.get("result"),
                extension_requested=day("extension_requested"), extension_reason=record.get("extension_reason"),
                new_deadline=day("new_deadline"), note=record.get("note"), source=where)


def parse_row(where: str, raw: dict[str, Any]) -> Task | RowProblem:
    """One raw row → a Task, or the reason it was not taken."""
    if "__error__" in raw:
        return RowProblem(where, raw["__error__"])
    level = secrecy_level(raw.get("secrecy"))
    if level:
        return RowProblem(where, f"văn bản {level}: không nhập vào sổ điện tử, theo dõi và báo cáo bằng giấy",
                          refused_secret=True)
    record, problems = _record(raw)
    if not problems:
        clean = {k: v for k, v in record.items() if v is not None or k in DATE_FIELDS}
        clean.pop("secrecy", None)
        problems = _schema_problems(clean)
    if not problems:
        problems = _semantic_problems(record)
    if problems:
        return RowProblem(where, "; ".join(problems))
    return _task(record, where)


def load_register(path: str | Path) -> RegisterLoad:
    """Read every row; keep the good ones, report the others (duplicated ids included)."""
    tasks: list[Task] = []
    problems: list[RowProblem] = []
    seen: dict[str, str] = {}
    for where, raw in raw_rows(path, "register"):
        parsed = parse_row(where, raw)
        if isinstance(parsed, RowProblem):
            problems.append(parsed)
            continue
        if parsed.id in seen:
            problems.append(RowProblem(where, f"trùng nhiệm vụ ở {seen[parsed.id]} (mã {parsed.id}); bỏ qua dòng này"))
            continue
        seen[parsed.id] = where
        tasks.append(parsed)
    return RegisterLoad(path=str(path), tasks=tuple(tasks), problems=tuple(problems))
