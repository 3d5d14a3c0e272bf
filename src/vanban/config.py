"""Loading YAML/JSON data files and validating them against ``schemas/``.

Every profile, data file and register row goes through :func:`load_data_file`
or :func:`validate`, so a clerk always gets a Vietnamese message that names the
file and the field at fault.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .dates import DAY_FIRST, BadDate, match_date
from .errors import ConfigError
from .resources import load_schema


def _jsonable(value: Any) -> Any:
    """YAML gives dates as date objects; schemas speak JSON, so make them strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


DATE_HINT = "viết dạng 15/10/2026 hoặc 2026-10-15"


def _resolve(schema: Any, root: dict) -> Any:
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return target
    return schema


def expects_date(schema: Any, root: dict | None = None) -> bool:
    """Does this (sub)schema ask for a date (``format: date``, also inside anyOf/oneOf)?"""
    schema = _resolve(schema, root or {})
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "date":
        return True
    return any(expects_date(branch, root) for key in ("anyOf", "oneOf", "allOf") for branch in schema.get(key, []))


def _vn_date(text: str) -> dt.date | None:
    if not DAY_FIRST.match(text.strip()):
        return None  # ISO strings are what the schemas expect already
    try:
        return match_date(text)
    except BadDate:
        return None  # 31/02/2026 stays a string: validation names it


def coerce_vietnamese_dates(data: Any, schema: Any, root: dict | None = None) -> None:
    """Turn ``15/10/2026`` into a date wherever the schema asks for a date, in place.

    Clerks write dates day first; the schemas speak ISO. Only fields the schema
    types as dates are touched, so free text that looks like a date is kept.
    """
    root = root if root is not None else schema
    schema = _resolve(schema, root)
    if not isinstance(schema, dict):
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            coerce_vietnamese_dates(data, branch, root)
    if isinstance(data, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, value in list(data.items()):
            sub = properties.get(name, extra if isinstance(extra, dict) else None)
            if sub is None:
                continue
            if isinstance(value, str) and expects_date(sub, root):
                parsed = _vn_date(value)
                if parsed is not None:
                    data[name] = parsed
            else:
                coerce_vietnamese_dates(value, sub, root)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for index, value in enumerate(data):
            if isinstance(value, str) and expects_date(schema["items"], root):
                parsed = _vn_date(value)
                if parsed is not None:
                    data[index] = parsed
            else:
                coerce_vietnamese_dates(value, schema["items"], root)


def read_data_file(path: str | Path) -> Any:
    """Parse a .yaml/.yml/.json file: safe loader, within the limits of :mod:`vanban.guard`
    (size, nesting depth, YAML aliases expanded, no FIFO or device)."""
    from . import guard

    path = Path(path)
    raw = guard.read_text(path, guard.LIMITS.data_bytes, "tệp dữ liệu", ConfigError)
    try:
        if path.suffix.lower() == ".json":
            return guard.load_json(raw, path)
        return guard.load_yaml(raw, path)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}", path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"YAML sai cú pháp{where}: {problem}", path) from None


def field_path(error: jsonschema.ValidationError) -> str:
    """``records[2].deadline`` style path of a validation error."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(gốc)"


_VALIDATOR_MESSAGES = {
    "required": "thiếu trường bắt buộc",
    "type": "sai kiểu dữ liệu",
    "enum": "giá trị không hợp lệ",
    "pattern": "không đúng định dạng",
    "format": "không đúng định dạng",
    "additionalProperties": "có trường không được phép",
    "minItems": "danh sách quá ngắn",
    "minLength": "không được để trống",
    "minimum": "giá trị quá nhỏ",
    "maximum": "giá trị quá lớn",
}


def describe_validation_error(error: jsonschema.ValidationError) -> str:
    """One Vietnamese sentence naming the field and the problem."""
    where = field_path(error)
    kind = _VALIDATOR_MESSAGES.get(error.validator, "không hợp lệ")
    if error.validator in ("format", "pattern", "anyOf", "oneOf") and isinstance(error.instance, str) \
            and expects_date(error.schema):
        return f"trường '{where}' không phải ngày hợp lệ ({error.instance!r}): {DATE_HINT}"
    if error.validator == "required":
        missing = [m for m in error.validator_value if isinstance(error.instance, dict) and m not in error.instance]
        name = missing[0] if missing else ""
        prefix = f"{where}." if where != "(gốc)" else ""
        return f"thiếu trường bắt buộc '{prefix}{name}'"
    if error.validator == "type":
        return f"trường '{where}' {kind}: cần {error.validator_value}, nhận được {error.instance!r}"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"trường '{where}' {kind} ({error.instance!r}); chỉ nhận: {allowed}"
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = [str(k) for k in error.instance if str(k) not in allowed] if isinstance(error.instance, dict) else []
        shown = ", ".join(f"'{k[:60]}'" for k in extra[:5])
        more = f" và {len(extra) - 5} trường khác" if len(extra) > 5 else ""
        return f"trường '{where}' {kind}: {shown}{more}"
    return f"trường '{where}' {kind} ({error.instance!r})"


def validation_errors(data: Any, schema_name: str) -> list[str]:
    """All problems of ``data`` against ``schemas/<schema_name>``, in Vietnamese."""
    schema = load_schema(schema_name)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(_jsonable(data)), key=lambda e: list(map(str, e.absolute_path)))
    return [describe_validation_error(e) for e in errors]


def validate(data: Any, schema_name: str, path: str | Path | None = None) -> Any:
    """Raise ConfigError (all problems listed) unless ``data`` fits the schema.

    Day-first dates (``15/10/2026``) in date fields are turned into dates in place first.
    """
    if isinstance(data, (dict, list)):
        coerce_vietnamese_dates(data, load_schema(schema_name))
    problems = validation_errors(data, schema_name)
    if problems:
        raise ConfigError("dữ liệu không hợp lệ: " + "; ".join(problems), path)
    return data


def load_data_file(path: str | Path, schema_name: str) -> Any:
    """Read and validate a YAML/JSON file."""
    return validate(read_data_file(path), schema_name, path)
