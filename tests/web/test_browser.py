"""The pages in a real browser: Debian's chromium driven by Selenium through Debian's chromedriver.

Screenshots go to a temp folder, or to ``$VANBAN_WEB_SCREENSHOTS`` (the README's
images are made with ``VANBAN_WEB_SCREENSHOTS=docs/images``).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import docx
import pytest
from web_helpers import FIXTURE_DOSSIERS, PASSWORD, REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REAL_DOSSIER = "Tờ trình 05 TTr SNV ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium chưa cài (pip install -e '.[test]')")
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip("chưa cài chromium và chromium-driver (apt-get install chromium chromium-driver)",
                allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def server(data_dir):
    from waitress.server import create_server

    from vanban.web import create_app

    app = create_app(data_dir)  # the default limits, as `vanban serve` runs
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    app.extensions["vanban"].intake.stop()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("VANBAN_WEB_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chromium(tmp_path, javascript: bool = True):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a browser or driver
    downloads = tmp_path / "downloads"
    downloads.mkdir(exist_ok=True)
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
                "--lang=vi-VN"):
        options.add_argument(arg)
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    from selenium.common.exceptions import WebDriverException

    for attempt in range(3):  # on a loaded machine chromium may start too slowly for chromedriver once
        try:
            driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
            break
        except WebDriverException:
            if attempt == 2:
                raise
            time.sleep(2)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    return driver


@pytest.fixture
def browser(tmp_path):
    driver = chromium(tmp_path)
    yield driver
    driver.quit()


def shoot(driver, folder: Path, name: str) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height + 120, 700), 2400))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(folder / f"web-{name}.png"))
    driver.set_window_size(1280, 900)


def sign_in(driver, base: str, username: str = "an") -> None:
    driver.get(base + "/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "header nav")))


def shown(driver, by, value, timeout: float = 60):
    """The element once the page that has it is loaded (a click's navigation may not be done yet)."""
    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((by, value)))


def downloaded(driver, suffix: str, timeout: float = 30) -> Path:
    end = time.time() + timeout
    while time.time() < end:
        done = [p for p in driver.downloads.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"không tải về được tệp {suffix}: {list(driver.downloads.iterdir())}")


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join([p.text for p in document.paragraphs] +
                     [c.text for t in document.tables for row in t.rows for c in row.cells])


def test_sign_in_page(server, browser, shots):
    browser.get(server + "/tiep-nhan")
    assert "/dang-nhap" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đăng nhập"
    shoot(browser, shots, "dang-nhap")
    browser.find_element(By.NAME, "username").send_keys("an")
    browser.find_element(By.NAME, "password").send_keys("sai-mat-khau")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in shown(browser, By.CSS_SELECTOR, ".msg.error").text


def test_check_a_real_dossier(server, browser, shots, realdocs):
    folder = realdocs / "dossiers" / REAL_DOSSIER
    if not folder.is_dir():
        pytest.skip(f"không có hồ sơ thật '{REAL_DOSSIER}'")
    sign_in(browser, server)
    files = [str(p) for p in sorted(folder.iterdir()) if p.is_file()]
    browser.find_element(By.ID, "tep").send_keys("\n".join(files))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chosen li")) == len(files)  # the vendored script lists them
    browser.find_element(By.NAME, "ten").send_keys("Tờ trình 05/TTr-SNV")
    shoot(browser, shots, "tiep-nhan")
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    decision = WebDriverWait(browser, 240).until(EC.presence_of_element_located((By.ID, "decision-0")))
    assert decision.text == "Kết luận: TIẾP NHẬN"
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "05/TTr-SNV" in page and "Sở Nội vụ" in page and "Trần Hữu Tuấn" in page
    shoot(browser, shots, "ho-so")
    browser.find_element(By.CSS_SELECTOR, "a[data-kind=phieu]").click()
    assert "05/TTr-SNV" in docx_text(downloaded(browser, ".docx"))
    browser.get(server + "/so-tiep-nhan")
    assert "Tờ trình 05/TTr-SNV" in browser.find_element(By.CSS_SELECTOR, "table.register").text
    shoot(browser, shots, "so-tiep-nhan")


def test_compose_a_letter(server, browser, shots):
    sign_in(browser, server)
    browser.get(server + "/soan-van-ban")
    shoot(browser, shots, "soan-van-ban")
    browser.find_element(By.LINK_TEXT, "Công văn").click()
    shown(browser, By.NAME, "subject").send_keys("tăng cường công tác phòng cháy, chữa cháy")
    browser.find_element(By.NAME, "recipients").send_keys("Sở Xây dựng\nCông an tỉnh")
    browser.find_element(By.NAME, "paragraphs").send_keys("Đề nghị các cơ quan khẩn trương triển khai.")
    preview = shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None
    if preview:
        browser.find_element(By.NAME, "preview").click()
    shoot(browser, shots, "soan-cong-van")
    browser.find_element(By.CSS_SELECTOR, "#compose-form button[type=submit]").click()
    assert "Dự thảo, chưa cấp số" in WebDriverWait(browser, 120).until(
        EC.presence_of_element_located((By.ID, "number"))).text
    if preview:
        image = browser.find_element(By.CSS_SELECTOR, ".previews img")
        assert browser.execute_script("return arguments[0].naturalWidth", image) > 300  # the page really loaded
        shoot(browser, shots, "soan-xong")
    browser.find_element(By.CSS_SELECTOR, "a[data-kind=draft]").click()
    letter = docx_text(downloaded(browser, ".docx"))
    assert "phòng cháy, chữa cháy" in letter and "Đề nghị các cơ quan khẩn trương triển khai." in letter


def test_track_tasks(server, browser, shots):
    sign_in(browser, server)
    browser.get(server + "/nhiem-vu")
    register = REPO / "fixtures" / "tasks" / "so-theo-doi-nhiem-vu-2026.xlsx"
    browser.find_element(By.NAME, "so").send_keys(str(register))
    date_input = browser.find_element(By.NAME, "ngay")
    browser.execute_script("arguments[0].value = '2026-10-31'", date_input)
    browser.find_element(By.CSS_SELECTOR, "#tasks-form button[type=submit]").click()
    assert "Tổng cộng" in shown(browser, By.CSS_SELECTOR, "table.counts").text
    assert "đến ngày 31/10/2026" in browser.find_element(By.TAG_NAME, "h1").text
    shoot(browser, shots, "nhiem-vu")
    browser.find_element(By.XPATH, "//button[contains(., 'Lập báo cáo')]").click()
    assert "Đã soạn: Báo cáo" in shown(browser, By.CSS_SELECTOR, ".msg.ok").text
    browser.find_element(By.XPATH, "//a[@data-kind='task-report' and contains(., '.docx')]").click()
    assert "BÁO CÁO" in docx_text(downloaded(browser, ".docx")).upper()


def test_batch_upload_with_progress(server, browser, shots, tmp_path):
    import zipfile

    second = tmp_path / "Tờ trình 15 SNV.zip"
    with zipfile.ZipFile(second, "w") as zf:
        for p in (FIXTURE_DOSSIERS / "03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV").iterdir():
            zf.write(p, p.name)
    sign_in(browser, server)
    browser.find_element(By.ID, "tep").send_keys(
        "\n".join([str(FIXTURE_DOSSIERS / "04 Hồ sơ nén - Tờ trình 21 SNV.zip"), str(second)]))
    browser.find_element(By.CSS_SELECTOR, "input[name=mode][value=lo]").click()
    browser.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    WebDriverWait(browser, 240).until(EC.text_to_be_present_in_element((By.ID, "progress"), "2/2"))
    rows = browser.find_element(By.TAG_NAME, "main").text
    assert rows.count("đã kiểm tra") == 2 and "Chuyển trả" in rows  # each dossier's decision in the batch
    shoot(browser, shots, "lo")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Tờ trình 15 SNV").click()
    assert shown(browser, By.ID, "decision-0").text == "Kết luận: CHUYỂN TRẢ"
    assert browser.find_elements(By.CSS_SELECTOR, "a[data-kind=tra]")  # the return letter is offered


def test_admin_pages(server, browser, shots):
    sign_in(browser, server, "dung")
    assert "/so-tiep-nhan" in browser.current_url  # quản trị starts at the register
    browser.find_element(By.LINK_TEXT, "Người dùng").click()
    shown(browser, By.NAME, "full_name")  # the users page, not the register it came from
    assert "Trần Thị Bình" in browser.find_element(By.CSS_SELECTOR, "main table").text
    shoot(browser, shots, "nguoi-dung")
    browser.find_element(By.LINK_TEXT, "Cơ quan, mẫu").click()
    shown(browser, By.NAME, "mau").send_keys(str(REPO / "templates" / "cong-van.docx"))
    from selenium.webdriver.support.select import Select

    Select(browser.find_element(By.NAME, "kind")).select_by_value("cong-van")
    browser.find_element(By.CSS_SELECTOR, "#template-form button[type=submit]").click()
    assert "Đã dùng mẫu 'cong-van.docx'" in shown(browser, By.CSS_SELECTOR, ".msg.ok").text
    shoot(browser, shots, "quan-tri")
    browser.get(server + "/tiep-nhan")
    assert "Chỉ chuyên viên" not in browser.page_source and browser.find_elements(By.ID, "upload-form") == []


def test_pages_work_without_javascript(server, tmp_path):
    driver = chromium(tmp_path, javascript=False)
    try:
        sign_in(driver, server)
        dossier = FIXTURE_DOSSIERS / "04 Hồ sơ nén - Tờ trình 21 SNV.zip"
        driver.find_element(By.ID, "tep").send_keys(str(dossier))
        assert driver.find_elements(By.CSS_SELECTOR, "#chosen li") == []  # the vendored script did not run
        driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
        # the page refreshes itself (meta refresh) until the decision is there
        decision = WebDriverWait(driver, 240).until(EC.presence_of_element_located((By.ID, "decision-0")))
        assert decision.text.startswith("Kết luận:")
        assert "21/TTr-SNV" in driver.find_element(By.TAG_NAME, "main").text
    finally:
        driver.quit()
