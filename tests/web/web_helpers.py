"""Helpers of the web tests (a module of its own name: every test folder has a conftest.py, and a test
module importing "conftest" may get another folder's)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from vanban.web.security import hash_password
from vanban.web.store import WebStore

REPO = Path(__file__).resolve().parents[2]
FIXTURE_DOSSIERS = REPO / "fixtures" / "dossiers"
PASSWORD = "mat-khau-thu-01"
USERS = {"an": ("Nguyễn Văn An", "chuyen_vien"), "binh": ("Trần Thị Bình", "chuyen_vien"),
         "cuong": ("Lê Văn Cường", "lanh_dao"), "dung": ("Phạm Thị Dung", "quan_tri")}


def csrf(client, path: str = "/dang-nhap") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, username: str, password: str = PASSWORD):
    return client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": csrf(client)})


def upload(client, files: list[tuple[str, bytes]], **form):
    from io import BytesIO

    data = {"csrf_token": csrf(client, "/tiep-nhan"), **form,
            "tep": [(BytesIO(content), name) for name, content in files]}
    return client.post("/tiep-nhan", data=data, content_type="multipart/form-data")


def folder_files(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()]


def wait_checked(client, url: str, timeout: float = 240) -> str:
    end = time.time() + timeout
    while time.time() < end:
        page = client.get(url).get_data(as_text=True)
        if "Kết luận:" in page or "Không kiểm tra được hồ sơ" in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url}: chưa kiểm tra xong sau {timeout} giây")


def add_users(data: Path) -> None:
    store = WebStore(data)
    hashed = hash_password(PASSWORD)  # one hash for all: Argon2 is slow on purpose
    for username, (name, role) in USERS.items():
        store.add_user(username, name, role, hashed)
