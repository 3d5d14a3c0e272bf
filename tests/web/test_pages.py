"""The pages do what the commands do: check a dossier, keep the register, draft a letter, track tasks."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile

import docx
import openpyxl
from click.testing import CliRunner
from web_helpers import FIXTURE_DOSSIERS, REPO, csrf, folder_files, login, upload, wait_checked

from vanban.cli import main
from vanban.web.store import WebStore

RETURNED = FIXTURE_DOSSIERS / "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV"
ZIPPED = FIXTURE_DOSSIERS / "04 Hồ sơ nén - Tờ trình 21 SNV.zip"


def downloads(page: str) -> dict[str, str]:
    return dict((kind, href) for href, kind in re.findall(r'href="(/tai-ve/\d+)" data-kind="([\w-]+)"', page))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_returned_dossier_page_and_documents(as_user, app):
    client = as_user("an")
    response = upload(client, folder_files(RETURNED), ten="Tờ trình 15 SNV")
    assert response.status_code == 302
    page = wait_checked(client, response.headers["Location"])
    assert "CHUYỂN TRẢ" in page
    assert "15/TTr-SNV" in page  # the submission's number, read from the document
    links = downloads(page)
    assert set(links) == {"phieu", "tra", "json", "html"}
    phieu = client.get(links["phieu"])
    assert phieu.status_code == 200 and "attachment" in phieu.headers["Content-Disposition"]
    assert "PHIẾU TRÌNH" in docx_text(phieu.data).upper()
    letter = docx_text(client.get(links["tra"]).data)
    assert "15/TTr-SNV" in letter
    report = json.loads(client.get(links["json"]).data)
    assert report["dossiers"][0]["decision"]["outcome"] == "chuyen_tra"
    assert report["dossiers"][0]["source"] == "Tờ trình 15 SNV"  # not the server's temp folder
    assert "/tmp" not in client.get(links["html"]).get_data(as_text=True)
    # what the CLI says of the same dossier
    cli = CliRunner().invoke(main, ["check", "--format", "json", str(RETURNED)])
    assert json.loads(cli.output)["dossiers"][0]["decision"] == report["dossiers"][0]["decision"]


def test_zip_upload_and_register(as_user, app, tmp_path):
    client = as_user("an")
    page = wait_checked(client, upload(client, [(ZIPPED.name, ZIPPED.read_bytes())]).headers["Location"])
    assert "Kết luận:" in page and "21/TTr-SNV" in page
    register = client.get("/so-tiep-nhan").get_data(as_text=True)
    assert "Hồ sơ nén - Tờ trình 21 SNV" in register and "Nguyễn Văn An" in register
    # searching ignores diacritics; a word that is nowhere finds nothing
    assert "Tờ trình 21" in client.get("/so-tiep-nhan?q=ho so nen").get_data(as_text=True)
    assert "Tờ trình 21" not in client.get("/so-tiep-nhan?q=khongcogi").get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/so-tiep-nhan.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "STT" and len(rows) == 3
    with zipfile.ZipFile(ZIPPED) as zf:
        import hashlib

        digests = {hashlib.sha256(zf.read(n)).hexdigest() for n in zf.namelist() if not n.endswith("/")}
    assert any(d in rows[2][9] for d in digests)  # files with their SHA-256


def test_batch_in_background(as_user, app, tmp_path):
    client = as_user("an")
    second = tmp_path / "Hồ sơ 03.zip"
    with zipfile.ZipFile(second, "w") as zf:
        for p in RETURNED.iterdir():
            zf.write(p, p.name)
    response = upload(client, [(ZIPPED.name, ZIPPED.read_bytes()), (second.name, second.read_bytes())], mode="lo")
    assert response.headers["Location"].startswith("/lo/")
    import time

    for _ in range(480):
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        if "2/2" in page:
            break
        time.sleep(0.5)
    assert "2/2" in page and page.count("đã kiểm tra") == 2
    store: WebStore = app.extensions["vanban"].store
    outcomes = [r["outcome"] for r in store.conn.execute("SELECT outcome FROM register ORDER BY intake_id")]
    assert len(outcomes) == 2 and "chuyen_tra" in outcomes


def test_batch_needs_zips(as_user, data_dir):
    response = upload(as_user("an"), [("a.docx", b"x"), (ZIPPED.name, ZIPPED.read_bytes())], mode="lo")
    assert response.status_code == 400 and "các tệp không phải .zip: a.docx" in response.get_data(as_text=True)
    mixed = upload(as_user("an"), [("a.docx", b"x"), (ZIPPED.name, ZIPPED.read_bytes())])
    assert mixed.status_code == 400 and "Nhiều hồ sơ" in mixed.get_data(as_text=True)
    assert not [p for p in (data_dir / "blobs").rglob("*") if p.is_file()]


def test_compose_letter_with_number(as_user, app):
    client = as_user("an")
    form = client.get("/soan-van-ban/cong-van").get_data(as_text=True)
    assert 'name="signer"' in form and 'name="paragraphs"' in form and 'value="auto"' in form
    data = {"csrf_token": csrf(client, "/soan-van-ban/cong-van"), "number": "auto", "subject": "tăng cường phòng cháy",
            "recipients": "Sở Xây dựng\nCông an tỉnh", "paragraphs": "Đề nghị các cơ quan khẩn trương thực hiện.",
            "unit": app.extensions["vanban"].office.units[0].abbr,
            "signer": app.extensions["vanban"].office.signers[0].key, "date": "2026-11-20"}
    page = client.post("/soan-van-ban/cong-van", data=data).get_data(as_text=True)
    assert "Số 01/" in page and "sổ văn bản đi" in page
    text = docx_text(client.get(downloads(page)["draft"]).data)
    assert "tăng cường phòng cháy" in text and "Công an tỉnh" in text
    from vanban.generate.register import list_entries

    entries = list_entries(app.extensions["vanban"].outgoing_db, 2026)
    assert [e.number for e in entries] == [1]


def test_compose_refuses_bad_data(as_user):
    client = as_user("an")
    page = client.post("/soan-van-ban/cong-van", data={"csrf_token": csrf(client, "/soan-van-ban/cong-van"),
                                                       "subject": "thiếu nội dung"})
    assert page.status_code == 400
    assert "Chưa soạn được văn bản" in page.get_data(as_text=True)


def test_tasks_register_status_and_report(as_user, app):
    client = as_user("an")
    register = REPO / "fixtures" / "tasks" / "so-theo-doi-nhiem-vu-2026.xlsx"
    response = client.post("/nhiem-vu", data={"csrf_token": csrf(client, "/nhiem-vu"), "ngay": "2026-10-31",
                                              "so": (io.BytesIO(register.read_bytes()), register.name)},
                           content_type="multipart/form-data")
    url = response.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Tình hình thực hiện nhiệm vụ đến ngày 31/10/2026" in page
    assert "Tổng cộng" in page and "Tỷ lệ quá hạn" in page
    artifact = int(url.split("/")[2].split("?")[0])
    response = client.post(f"/nhiem-vu/{artifact}/bao-cao", data={"csrf_token": csrf(client, url),
                                                                  "ngay": "2026-10-31", "ky": "2026-10"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã soạn: Báo cáo" in page
    links = re.findall(r'href="(/tai-ve/\d+)" data-kind="task-report">([^<]+)<', page)
    names = {name for _, name in links}
    assert any(n.endswith(".docx") for n in names) and any(n.endswith(".xlsx") for n in names)
    report = next(href for href, name in links if name.endswith(".docx"))
    assert "BÁO CÁO" in docx_text(client.get(report).data).upper()
    response = client.post(f"/nhiem-vu/{artifact}/don-doc", data={"csrf_token": csrf(client, url),
                                                                  "ngay": "2026-10-31"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Công văn đôn đốc ngày 31/10/2026" in page
    from vanban.generate.register import list_entries

    db = app.extensions["vanban"].outgoing_db
    assert not list_entries(db, 2026)  # drafts take no number
    client.post(f"/nhiem-vu/{artifact}/don-doc", data={"csrf_token": csrf(client, url), "ngay": "2026-10-31",
                                                       "number": "auto"})
    numbered = list_entries(db, 2026)
    assert numbered and {e.kind for e in numbered} == {"don-doc"}  # in the outgoing register and the history


def test_user_add_command(tmp_path):
    runner = CliRunner()
    data = tmp_path / "d"
    ok = runner.invoke(main, ["user", "add", "an", "--name", "Nguyễn Văn An", "--password", "mat-khau-01",
                              "--data", str(data)])
    assert ok.exit_code == 0 and "Đã tạo tài khoản an (Chuyên viên)" in ok.output
    again = runner.invoke(main, ["user", "add", "an", "--name", "X", "--password", "mat-khau-01", "--data", str(data)])
    assert again.exit_code != 0 and "đã có" in again.output
    short = runner.invoke(main, ["user", "add", "b", "--name", "Y", "--password", "ngan", "--data", str(data)])
    assert short.exit_code == 2 and "ít nhất 8 ký tự" in short.output
    nothing = runner.invoke(main, ["user", "add", "b", "--name", "Y", "--password", "ngan",
                                   "--data", str(tmp_path / "moi")])
    assert nothing.exit_code == 2 and not (tmp_path / "moi").exists()
    stored = WebStore(data).user_row("an")["password_hash"]
    assert stored.startswith("$argon2id$") and "mat-khau-01" not in stored
    shutil.rmtree(data)


def test_every_kind_has_a_form(as_user, app):
    from vanban.generate.render import kinds

    client = as_user("an")
    signer = app.extensions["vanban"].office.signers[0]
    for kind, spec in kinds().items():
        page = client.get(f"/soan-van-ban/{kind}")
        assert page.status_code == 200, kind
        text = page.get_data(as_text=True)
        assert spec.name in text and 'name="unit"' in text
        assert signer.name in text  # signers come from the office profile


def test_unreadable_file_is_reported_and_the_rest_goes_on(as_user):
    client = as_user("an")
    files = folder_files(RETURNED) + [("Báo cáo hỏng.docx", b"PK\x03\x04 this is not a real docx")]
    page = wait_checked(client, upload(client, files, ten="Hồ sơ có tệp hỏng").headers["Location"])
    assert "Kết luận:" in page and "15/TTr-SNV" in page  # the readable files were checked
    assert "Báo cáo hỏng.docx" in page and "không đọc được" in page


def test_waiting_dossiers_are_checked_after_a_restart(data_dir):
    from vanban.web import create_app
    from vanban.web.intake import Upload

    first = create_app(data_dir, start_workers=False)  # the server stops before checking
    ctx = first.extensions["vanban"]
    user = next(u for u in ctx.store.users() if u.username == "an")
    intake_id = ctx.intake.submit(user, [Upload(p.name, p.read_bytes()) for p in sorted(RETURNED.iterdir())], "Chờ")
    assert ctx.store.intake(intake_id)["status"] == "pending"
    second = create_app(data_dir)
    try:
        import time

        for _ in range(480):
            if second.extensions["vanban"].store.intake(intake_id)["status"] == "done":
                break
            time.sleep(0.5)
        row = second.extensions["vanban"].store.intake(intake_id)
        assert row["status"] == "done" and json.loads(row["results"])["dossiers"][0]["decision"]["outcome"] == "chuyen_tra"
    finally:
        second.extensions["vanban"].intake.stop()


def test_compose_preview_as_page_images(as_user, app, soffice):
    import shutil as sh

    if sh.which("pdftoppm") is None:
        import pytest

        pytest.skip("chưa cài poppler-utils (pdftoppm)")
    client = as_user("an")
    office = app.extensions["vanban"].office
    data = {"csrf_token": csrf(client, "/soan-van-ban/cong-van"), "subject": "xem trước văn bản",
            "recipients": "Sở Xây dựng", "paragraphs": "Nội dung thử.", "unit": office.units[0].abbr,
            "signer": office.signers[0].key, "preview": "1"}
    page = client.post("/soan-van-ban/cong-van", data=data).get_data(as_text=True)
    images = re.findall(r'<img src="(/xem-truoc/\d+)"', page)
    assert images
    png = client.get(images[0])
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG") and png.mimetype == "image/png"
    assert as_user("binh").get(images[0]).status_code == 403  # another clerk's draft


def _post_file(client, url: str, field: str, name: str, data: bytes, **form):
    return client.post(url, data={"csrf_token": csrf(client, "/quan-tri"), field: (io.BytesIO(data), name), **form},
                       content_type="multipart/form-data")


def test_admin_replaces_the_office_profile_only_when_valid(as_user, app, data_dir):
    admin, clerk = as_user("dung"), as_user("an")
    assert clerk.get("/quan-tri").status_code == 403
    bad = _post_file(admin, "/quan-tri/ho-so-co-quan", "ho_so", "vanban.yaml", b"agency:\n  name: 12\n")
    assert bad.status_code == 400 and "Hồ sơ đang dùng giữ nguyên" in bad.get_data(as_text=True)
    assert not (data_dir / "vanban.yaml").exists()
    profile = REPO / "fixtures" / "office" / "vanban.yaml"
    ok = _post_file(admin, "/quan-tri/ho-so-co-quan", "ho_so", "vanban.yaml", profile.read_bytes())
    assert ok.status_code == 200 and "Đã dùng hồ sơ cơ quan mới" in ok.get_data(as_text=True)
    from vanban.generate import load_office

    office = load_office(profile)
    form = clerk.get("/soan-van-ban/cong-van").get_data(as_text=True)
    assert all(s.name in form for s in office.signers)  # the clerks' forms use it at once
    assert app.extensions["vanban"].intake.office.agency_name == office.agency_name


def test_admin_template_is_checked_before_use(as_user, data_dir, tmp_path):
    admin = as_user("dung")
    broken = tmp_path / "cong-van.docx"
    document = docx.Document()
    document.add_paragraph("{{ subject ")
    document.save(broken)
    refused = _post_file(admin, "/quan-tri/mau", "mau", "cong-van.docx", broken.read_bytes(), kind="cong-van")
    assert refused.status_code == 400 and "Mẫu đang dùng giữ nguyên" in refused.get_data(as_text=True)
    assert not list((data_dir / "mau").glob("*.docx"))
    shipped = REPO / "templates" / "cong-van.docx"
    ok = _post_file(admin, "/quan-tri/mau", "mau", "cong-van.docx", shipped.read_bytes(), kind="cong-van")
    assert ok.status_code == 200 and "mẫu của cơ quan" in ok.get_data(as_text=True)
    assert (data_dir / "mau" / "cong-van.docx").read_bytes() == shipped.read_bytes()


def test_received_and_meeting_dates_reach_the_check(as_user, app):
    client = as_user("an")
    bad = upload(client, folder_files(RETURNED), meeting_kind="ubnd")
    assert bad.status_code == 400 and "loại phiên họp cần đi kèm ngày phiên họp" in bad.get_data(as_text=True)
    kind = "ubnd"
    assert kind in app.extensions["vanban"].meetings
    response = upload(client, folder_files(RETURNED), received="2026-03-20", meeting="2026-03-23", meeting_kind=kind)
    page = wait_checked(client, response.headers["Location"])
    assert "hồ sơ đến ngày 20/03/2026" in page and "ngày 23/03/2026" in page
    url = re.search(r'href="(/tai-ve/\d+)" data-kind="json"', page).group(1)
    report = json.loads(client.get(url).data)
    cli = CliRunner().invoke(main, ["check", "--format", "json", "--received", "20/03/2026", "--meeting",
                                    "23/03/2026", "--meeting-kind", kind, str(RETURNED)])
    rules = {f["rule_id"] for f in report["dossiers"][0]["findings"]}
    assert "VB501" in rules  # arrived one working day before the meeting: late
    assert rules == {f["rule_id"] for f in json.loads(cli.output)["dossiers"][0]["findings"]}


def test_passwd_and_lock_end_sessions(as_user, app, data_dir):
    clerk = as_user("an")
    assert clerk.get("/tiep-nhan").status_code == 200
    done = CliRunner().invoke(main, ["user", "passwd", "an", "--password", "mat-khau-moi-02", "--data", str(data_dir)])
    assert done.exit_code == 0 and "Đã đặt mật khẩu mới cho an" in done.output
    assert clerk.get("/tiep-nhan").status_code == 302  # signed out
    assert login(app.test_client(), "an", "mat-khau-moi-02").status_code == 302
    unknown = CliRunner().invoke(main, ["user", "passwd", "khong-co", "--password", "mat-khau-moi-02",
                                        "--data", str(data_dir)])
    assert unknown.exit_code != 0 and "không có tài khoản 'khong-co'" in unknown.output
    other = as_user("binh")
    admin = as_user("dung")
    page = admin.post("/nguoi-dung", data={"csrf_token": csrf(admin, "/nguoi-dung"), "lock": "binh"})
    assert "Đã khóa tài khoản binh" in page.get_data(as_text=True)
    assert other.get("/tiep-nhan").status_code == 302
    assert login(app.test_client(), "binh").status_code == 401
    self_lock = admin.post("/nguoi-dung", data={"csrf_token": csrf(admin, "/nguoi-dung"), "lock": "dung"})
    assert "Không khóa được tài khoản đang dùng" in self_lock.get_data(as_text=True)


def test_admin_adds_a_user_in_the_page(as_user, app):
    admin = as_user("dung")
    form = {"csrf_token": csrf(admin, "/nguoi-dung"), "username": "em", "full_name": "Hoàng  Văn   Em",
            "role": "lanh_dao", "password": "ngan"}
    short = admin.post("/nguoi-dung", data=form).get_data(as_text=True)
    assert "Không tạo được tài khoản: mật khẩu phải có ít nhất 8 ký tự" in short
    page = admin.post("/nguoi-dung", data=dict(form, password="mat-khau-em-01")).get_data(as_text=True)
    assert "Đã tạo tài khoản em (Lãnh đạo)" in page and "Hoàng Văn Em" in page
    assert login(app.test_client(), "em", "mat-khau-em-01").status_code == 302


def test_serve_command_answers_and_refuses_a_bad_data_folder(data_dir, tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    blocked = tmp_path / "tep"
    blocked.write_text("không phải thư mục")
    bad = CliRunner().invoke(main, ["serve", "--data", str(blocked / "du-lieu")])
    assert bad.exit_code == 4 and "không tạo hoặc ghi được thư mục dữ liệu" in bad.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "vanban", "serve", "--data", str(data_dir), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "<h1>Đăng nhập</h1>" in page
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"vanban đang chạy tại http://127.0.0.1:{port}/" in out
