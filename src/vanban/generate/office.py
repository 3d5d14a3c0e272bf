"""The office profile (vanban.yaml): who issues, where, who signs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..config import load_data_file
from ..errors import ConfigError

OFFICE_SCHEMA = "office.schema.json"
OFFICE_FILE_NAME = "vanban.yaml"
SAMPLE_OFFICE = Path(__file__).resolve().parent / "data" / "vanban.sample.yaml"


@dataclass(frozen=True)
class Unit:
    abbr: str
    name: str


@dataclass(frozen=True)
class Signer:
    key: str
    name: str
    position: str  # CHỦ TỊCH, PHÓ CHỦ TỊCH
    authority: Optional[str] = None  # TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH; None = signs in own name


@dataclass(frozen=True)
class OfficeProfile:
    agency_name: str  # Ủy ban nhân dân tỉnh Lâm Đồng
    agency_abbr: str  # UBND
    place: str  # Lâm Đồng
    header_lines: tuple[str, ...]  # ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG
    parent_agency: str = ""
    short_name: str = ""
    collective: str = ""
    units: tuple[Unit, ...] = ()
    signers: tuple[Signer, ...] = ()
    db_path: Optional[Path] = None
    secret_series: bool = True
    max_per_year: Optional[int] = None
    source: Optional[Path] = None

    def signer(self, key: str) -> Signer:
        for signer in self.signers:
            if signer.key == key:
                return signer
        known = ", ".join(s.key for s in self.signers)
        raise ConfigError(f"không có người ký '{key}' trong hồ sơ cơ quan; các khóa hiện có: {known}", self.source)

    def unit(self, abbr: str) -> Optional[Unit]:
        for unit in self.units:
            if unit.abbr == abbr:
                return unit
        return None


def office_from_dict(data: dict, source: Optional[Path] = None) -> OfficeProfile:
    agency = data["agency"]
    register = data.get("register") or {}
    db = register.get("db")
    db_path = None
    if db:
        db_path = Path(db)
        # relative to the profile's folder; the shipped sample keeps it relative to the working folder
        if not db_path.is_absolute() and source is not None and source != SAMPLE_OFFICE:
            db_path = source.parent / db_path
    header = tuple(agency.get("header") or [agency["name"].upper()])
    return OfficeProfile(
        agency_name=agency["name"],
        agency_abbr=agency["abbr"],
        place=data["place"],
        header_lines=header,
        parent_agency=(data.get("parent_agency") or "").strip(),
        short_name=agency.get("short_name") or agency["name"],
        collective=agency.get("collective") or header[0],
        units=tuple(Unit(u["abbr"], u["name"]) for u in data.get("units") or []),
        signers=tuple(Signer(s["key"], s["name"], s["position"], s.get("authority") or None)
                      for s in data["signers"]),
        db_path=db_path,
        secret_series=bool(register.get("secret_series", True)),
        max_per_year=register.get("max_per_year"),
        source=source,
    )


def load_office(path: str | Path | None = None) -> OfficeProfile:
    """Load ``vanban.yaml``: ``None`` → ./vanban.yaml if present, else the shipped sample office."""
    if path is None:
        local = Path.cwd() / OFFICE_FILE_NAME
        path = local if local.is_file() else SAMPLE_OFFICE
    path = Path(path)
    data = load_data_file(path, OFFICE_SCHEMA)
    if not isinstance(data, dict):
        raise ConfigError("hồ sơ cơ quan phải là một bảng khóa: giá trị", path)
    keys = [s["key"] for s in data["signers"]]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ConfigError(f"khóa người ký bị trùng: {', '.join(duplicates)}", path)
    return office_from_dict(data, path.resolve())
