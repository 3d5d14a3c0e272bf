"""What the web page refuses: strangers, the wrong role, bad uploads, forged forms, password guessing."""

from __future__ import annotations

import io
import zipfile

import pytest
from web_helpers import FIXTURE_DOSSIERS, csrf, folder_files, login, upload, wait_checked

from vanban.web.store import WebStore

PAGES = ["/", "/tiep-nhan", "/so-tiep-nhan", "/so-tiep-nhan.xlsx", "/soan-van-ban", "/soan-van-ban/cong-van",
         "/nhiem-vu", "/nhiem-vu/1", "/ho-so/1", "/lo/abc", "/tai-ve/1", "/nguoi-dung"]


def stored(data_dir) -> tuple[int, list]:
    store = WebStore(data_dir)
    blobs = [p for p in (data_dir / "blobs").rglob("*") if p.is_file()]
    return store.conn.execute("SELECT COUNT(*) FROM intakes").fetchone()[0], blobs


@pytest.mark.parametrize("path", PAGES)
def test_nothing_without_login(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap")


def test_wrong_password_and_rate_limit(app):
    client = app.test_client()
    for _ in range(5):
        response = login(client, "an", "sai-mat-khau")
        assert response.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    response = login(client, "an")  # even the right password waits now
    assert response.status_code == 429
    assert "thử lại sau 15 phút" in response.get_data(as_text=True)
    assert login(app.test_client(), "binh").status_code == 302  # another account from elsewhere is not locked


def test_session_cookie_is_http_only_and_logout_ends_it(app):
    client = app.test_client()
    response = login(client, "an")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/tiep-nhan").status_code == 200
    client.post("/dang-xuat", data={"csrf_token": csrf(client, "/tiep-nhan")})
    assert client.get("/tiep-nhan").status_code == 302


def test_wrong_csrf_token_refused(as_user, data_dir):
    client = as_user("an")
    response = client.post("/tiep-nhan", data={"csrf_token": "gia-mao", "tep": [(io.BytesIO(b"x"), "a.docx")]},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True) and "Không có gì được lưu" in response.get_data(as_text=True)
    assert stored(data_dir) == (0, [])


@pytest.mark.parametrize("name", ["../../etc/evil.docx", "..\\..\\evil.docx", "thu-muc/tep.docx", ".htaccess"])
def test_path_traversal_in_upload_name_refused(as_user, data_dir, name):
    response = upload(as_user("an"), [(name, b"PK\x03\x04 not really")])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "không hợp lệ" in page and "Không có tệp nào được lưu" in page
    assert stored(data_dir) == (0, [])
    assert not (data_dir.parent / "etc").exists() and not (data_dir.parent / "evil.docx").exists()


def test_zip_with_traversal_member_refused(as_user, data_dir):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../ngoai.docx", b"x")
    response = upload(as_user("an"), [("ho-so.zip", buf.getvalue())])
    assert response.status_code == 400
    assert "đường dẫn ra ngoài thư mục" in response.get_data(as_text=True)
    assert stored(data_dir) == (0, [])


def test_oversized_upload_refused(as_user, data_dir):
    response = upload(as_user("an"), [("lon.pdf", b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024))])
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)
    assert stored(data_dir) == (0, [])


def test_zip_bomb_refused(as_user, data_dir):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("to-trinh.docx", b"\0" * (60 * 1024 * 1024))
    assert len(buf.getvalue()) < 200 * 1024  # small on the wire, 60 MB unpacked
    response = upload(as_user("an"), [("bom.zip", buf.getvalue())])
    assert response.status_code == 400
    assert "bom zip" in response.get_data(as_text=True)
    assert stored(data_dir) == (0, [])


def test_roles(as_user, app):
    an, binh, cuong, dung = (as_user(u) for u in ("an", "binh", "cuong", "dung"))
    response = upload(an, folder_files(FIXTURE_DOSSIERS / "02 Thiếu dự thảo - Tờ trình 12 SNV"),
                      ten="Thiếu dự thảo - Tờ trình 12 SNV")
    url = response.headers["Location"]
    wait_checked(an, url)
    artifact = next(a["id"] for a in app.extensions["vanban"].store.artifacts(intake_id=int(url.rsplit("/", 1)[1])))
    # another chuyên viên reads neither the dossier nor its files, nor sees it in the register
    assert binh.get(url).status_code == 403
    assert binh.get(f"/tai-ve/{artifact}").status_code == 403
    assert "Thiếu dự thảo" not in binh.get("/so-tiep-nhan").get_data(as_text=True)
    # lãnh đạo reads everything but does not take dossiers in
    assert cuong.get(url).status_code == 200 and cuong.get(f"/tai-ve/{artifact}").status_code == 200
    assert "Thiếu dự thảo" in cuong.get("/so-tiep-nhan").get_data(as_text=True)
    refused = upload(cuong, [("a.docx", b"x")])
    assert refused.status_code == 403 and "Chỉ chuyên viên" in refused.get_data(as_text=True)
    assert cuong.get("/soan-van-ban/cong-van").status_code == 403
    # only quản trị manages users
    assert an.get("/nguoi-dung").status_code == 403
    assert dung.get("/nguoi-dung").status_code == 200


def test_security_headers(as_user):
    response = as_user("an").get("/tiep-nhan")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "cdn" not in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_sign_in_never_sends_to_another_site(app, target):
    client = app.test_client()
    response = client.post(f"/dang-nhap?next={target}", data={"username": "an", "password": "mat-khau-thu-01",
                                                                "csrf_token": csrf(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_session_ends_after_a_working_day(as_user, app):
    client = as_user("an")
    assert client.get("/tiep-nhan").status_code == 200
    store = app.extensions["vanban"].store
    store.conn.execute("UPDATE sessions SET created='2020-01-01T08:00:00+07:00'")
    assert client.get("/tiep-nhan").status_code == 302
    assert store.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
