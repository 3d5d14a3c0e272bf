"""The signed submissions of the real corpus (VANBAN_REALDOCS): number, date and trích yếu
as a person reads them on the page (checked against page images rendered with pdftoppm).

The trích yếu ends where its block ends: not in Kính gửi or the body (Tờ trình 348),
not cut short in the left column (công văn 788, SKHCN), with no letters lost to a broken
ToUnicode map (CV 1925). The files are read in place, never copied.
"""

from __future__ import annotations

import datetime as dt

import pytest

from vanban.read import read_file
from vanban.understand import understand

pytestmark = pytest.mark.realdocs

# (path under dossiers/, number, date, trích yếu)
SIGNED = [
    ('29-11 TTr 3367 So NV/3367-UB- bao cao ket qua tong hop yeu cau hoi to chuc DH.signed.signed.pdf',
     '3367', '2024-11-28',
     'Báo cáo, đề xuất phương án xử lý các hội quần chúng cấp tỉnh theo Công văn số 2769/UBND-NCKSTTHC ngày 24/7/2024 của UBND tỉnh'),
    ('Công văn trình 788 của Sở TP về Đoàn Luật sư/788 HC.signed.signed.kydauden.pdf',
     '788', '2025-05-16',
     'V/v trình hồ sơ phê chuẩn kết quả Đại hội Đoàn Luật sư tỉnh Bình Thuận nhiệm kỳ 2024 - 2029'),
    ('Tờ trình 05 TTr SNV ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng/To trinh ban hanh Ke hoach tuyen truyen CCHC nam 2026 tinh Lam Dong. 31.12.2025.pdf',
     '05', '2026-01-06',
     'Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng'),
    ('Tờ trình 1005 về việc thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung) Hội Nữ doanh nhân tỉnh Bình Thuận/1005 SNV To trinh cong nhan ket qua Dai hoi va phe duyet Dieu le Hoi Nu Doanh nhan tinh.signed.signed.kydauden.pdf',
     '1005', '2025-05-05',
     'Về việc thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung) Hội Nữ doanh nhân tỉnh Bình Thuận'),
    ('Tờ trình 1050 về việc báo cáo kết quả đại hội và phê duyệt điều lệ (sửa đổi, bổ sung) Hiệp hội Vận tải ô tô tỉnh Bình Thuận/1050 To trinh cong nhan ket qua Dai hoi va phe duyet Dieu le Hiep hoi van tai O to.signed.signed.kydauden.pdf',
     '1050', '2025-05-07',
     'Về việc thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung) Hiệp hội Vận tải ô tô tỉnh Bình Thuận'),
    ('Tờ trình 1223  tổ chức đại hội nhiệm kỳ Hiệp hội Doanh nghiệp tỉnh Bình Thuận/1223 TTr SNV ve viec co y kien to chuc dai hoi c Bong.signed.signed.kydauden.pdf',
     '1223', '2025-05-20',
     'Về việc tổ chức đại hội nhiệm kỳ Hiệp hội Doanh nghiệp tỉnh Bình Thuận'),
    ('Tờ trình 1223  tổ chức đại hội nhiệm kỳ Hiệp hội Doanh nghiệp tỉnh Bình Thuận/CV 1925.signed.signed.pdf',
     '1925', '2025-05-19',
     'V/v tổ chức Đại hội của Hiệp hội Doanh nghiệp tỉnh lần thứ V, nhiệm kỳ 2025-2030.'),
    ('Tờ trình 124 Kế hoạch Phát động Phong trào thi đua Đẩy mạnh cải cách hành chính/To trinh ban hanh Ke hoach phát dong phong trao thi đua CCHC năm 2026 tinh Lam Dong 10.02s.pdf',
     '124', '2026-02-11',
     'Về việc ban hành Kế hoạch Phát động Phong trào thi đua “Đẩy mạnh cải cách hành chính nhà nước trên địa bàn tỉnh Lâm Đồng” năm 2026'),
    ('Tờ trình 143 giải thể hiệp hội rau quả/Trình UBND tỉnh (2).pdf',
     '143', '2026-03-03',
     'Về việc giải thể Hiệp hội rau quả Đà Lạt'),
    ('Tờ trình 143 giải thể hiệp hội rau quả/Tờ-trình-Giải-thể-Hiệp-hội-rau-quả-Đà-Lạt.pdf',
     '300', '2025-09-15',
     'Về việc giải thể Hiệp hội rau quả Đà Lạt'),
    ('Tờ trình 156 SNV Hội lan toa yeu thuong/Tờ-trình-UBND-đổi-tên-Hội-Thiện-nguyện-Lan-tỏa-yêu-thương-Bình-Thuận-tỉnh-Lâm-Đồng.pdf',
     '156', '2025-08-25',
     'Về việc cho phép đổi tên Hội Thiện nguyện Lan tỏa yêu thương tỉnh Bình Thuận (trước sắp xếp) thành Hội Thiện nguyện Lan tỏa yêu thương Bình Thuận tỉnh Lâm Đồng và phê duyệt Điều lệ (sửa đổi, bổ sung) Hội Thiện nguyện Lan tỏa yêu thương Bình Thuận tỉnh Lâm Đồng'),
    ('Tờ trình 187 Hội đồng ATVSLĐ/TỜ TRÌNH ĐỀ NGHỊ BAN HÀNH QUYẾT ĐỊNH THÀNH LẬP HỘI ĐỒNG ATVSLĐ TRÊN ĐỊA BÀN TỈNH LÂM ĐỒNG.pdf',
     '187', '2025-08-28',
     'Về việc đề nghị ban hành Quyết định thành lập Hội đồng An toàn, vệ sinh lao động trên địa bàn tỉnh Lâm Đồng'),
    ('Tờ trình 202 TTr-SNV lien doan bida/Tờ trình về việc cho phép đổi tên  Liên đoàn Billiards  Snooker tỉnh Bình Thuận thành Liên đoàn Billiards  Snooker .pdf',
     '202', '2025-08-29',
     'Về việc cho phép đổi tên Liên đoàn Billiards và Snooker tỉnh Bình Thuận thành Liên đoàn Billiards và Snooker tỉnh Lâm Đồng và phê duyệt Điều lệ của Liên đoàn Billiards và Snooker tỉnh Lâm Đồng'),
    ('Tờ trình 251 SNV Tờ trình về việc đề nghị ban hành Quyết định thành lập Liên đoàn Pickleball tỉnh Lâm Đồng/Tờ-trình-về-việc-đề-nghị-thành-lập-Liên-đoàn-Pickleball-tỉnh-Lâm-Đồng.pdf',
     '351', '2026-04-02',
     'Về việc đề nghị ban hành Quyết định cho phép thành lập Liên đoàn Pickleball tỉnh Lâm Đồng'),
    ('Tờ trình 303 SNV Quyết định thành lập Ban Vì sự tiến bộ của phụ nữ tỉnh Lâm Đồng/1. Tờ trình CT UBND đề nghị ban hành Quyết định thành lập BVSTBCPN.pdf',
     '303', '2025-09-16',
     'Về việc đề nghị ban hành Quyết định thành lập Ban Vì sự tiến bộ của phụ nữ tỉnh Lâm Đồng'),
    ('Tờ trình 348 SNV đề nghị cho phép sáp nhập Hiệp hội vận tải ô tô/Tờ-trình-Sáp-nhập-Hiệp-hội-vận-tải-ô-tô-Lâm-Đồng.pdf',
     '348', '2026-04-01',
     'Về việc đề nghị cho phép sáp nhập Hiệp hội vận tải ô tô tỉnh Bình Thuận (trước sắp xếp) vào Hiệp hội vận tải ô tô Lâm Đồng (trước sắp xếp) thành Hiệp hội vận tải ô tô Lâm Đồng'),
    ('Tờ trình 390 SNV công nhận Ban vận động thành lập Hiệp hội Bất động sản tỉnh Lâm Đồng/Tờ-trình-công-nhận-BVĐ-Hiệp-Hội-bất-động-sản.pdf',
     '390', '2026-04-21',
     'Về việc đề nghị công nhận Ban vận động thành lập Hiệp hội Bất động sản tỉnh Lâm Đồng'),
    ('Tờ trình 45 Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần Chỉ số cải cách hành chính năm 2025 của tỉnh Lâm Đồng/TTr BC cham diem PAR Index Lam Dong 2025.pdf',
     '45', '2026-01-16',
     'Về việc Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần Chỉ số cải cách hành chính năm 2025 của tỉnh Lâm Đồng'),
    ('Tờ trình 51 Kế hoạch kiểm tra công tác cải cách hành chính năm 2026 trên địa bàn tỉnh Lâm Đồng/SKHCN.pdf',
     '171', '2026-01-16',
     'V/v góp ý dự thảo Kế hoạch kiểm tra cải cách hành chính năm 2026 trên địa bàn tỉnh Lâm Đồng'),
    ('Tờ trình 51 Kế hoạch kiểm tra công tác cải cách hành chính năm 2026 trên địa bàn tỉnh Lâm Đồng/To trinh ban hanh Ke hoach kiem tra CCHC nam 2026 tinh Lam Dong.pdf',
     '51', '2026-01-19',
     'Về việc ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026 trên địa bàn tỉnh Lâm Đồng'),
    ('Tờ trình 666 kế hoạch CCHC 2026/Tờ trình dự thảo Kế hoạch CCHC năm 2026 của tỉnh.pdf',
     '666', '2025-12-22',
     'Về việc trình ký dự thảo Kế hoạch cải cách hành chính nhà nước năm 2026 tỉnh Lâm Đồng'),
    ('Tờ trình về việc công nhận kết quả đại hội và phê duyệt Điều lệ Hiệp hội Nước mắm Phan Thiết/255 To trinh ve viec cong nhan ket qua dai hoi va phe duyet Dieu le Hiep hoi Nuoc mam Phan Thiet.signed.signed.kydauden.pdf',
     '255', '2025-01-22',
     'Về việc công nhận kết quả đại hội và phê duyệt Điều lệ Hiệp hội Nước mắm Phan Thiết'),
    ('Tờ trình về việc công nhận Điều lệ sửa đổi, bổ sung Quỹ Khuyến học tỉnh Bình Thuận/To trinh sua doi bo sung Dieu le Quy Khuyen hoc.signed.signed.kydauden.pdf',
     '108', '2025-03-12',
     'Về việc công nhận Điều lệ sửa đổi, bổ sung Quỹ Khuyến học tỉnh Bình Thuận'),
    ('Tờ trình về việc thông báo kết quả đại hội Liên đoàn Quần vợt tỉnh Bình Thuận/478 SNV To trinh ve viec cong nhan ket qua dai hoi Lien doan Quan vot.signed.signed.kydauden (1).pdf',
     '478', '2025-02-21',
     'Về việc thông báo kết quả đại hội Liên đoàn Quần vợt tỉnh Bình Thuận'),
    ('Tờ trình về việc thông báo kết quả đại hội Liên đoàn Vovinam – Việt Võ đạo tỉnh Bình Thuận/514 SNV To trinh ve viec cong nhan ket qua dai hoi Lien doan Vovinam - Viet Vo dao.signed.signed.kydauden (1).pdf',
     '514', '2025-02-24',
     'Về việc thông báo kết quả đại hội Liên đoàn Vovinam – Việt Võ đạo tỉnh Bình Thuận'),
    ('Tờ trình về việc thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung) Liên đoàn Cầu lông tỉnh Bình Thuận/62 To trinh cong nhan ket qua Dai hoi va phe duyet Dieu le Lien doan Cau long tinh.signed.signed.kydauden.pdf',
     '62', '2025-03-07',
     'Về việc thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung) Liên đoàn Cầu lông tỉnh Bình Thuận'),
    ('Tờ trình về việc tổ chức đại hội nhiệm kỳ Hội Nữ Doanh nhân tỉnh/519 TTr SNV ve viec co y kien to chuc dai hoi.signed.signed.kydauden (1).pdf',
     '519', '2025-02-24',
     'Về việc tổ chức đại hội nhiệm kỳ Hội Nữ Doanh nhân tỉnh'),
    ('Tờ trình đề xuất gia hạn thời gian tổ chức đại hội nhiệm kỳ của Hiệp hội Doanh nghiệp tỉnh/253 SNV gui UBND tinh gia han thoi gian to chuc Dai ho Hiep hoi doanh nghiep tinh.signed.signed.kydauden.pdf',
     '253', '2025-01-22',
     'Đề xuất gia hạn thời gian tổ chức đại hội nhiệm kỳ'),
]


@pytest.fixture(autouse=True)
def _no_ocr(monkeypatch):
    monkeypatch.setenv("VANBAN_OCR", "off")  # these files all have a text layer


@pytest.mark.parametrize("relative, number, date, subject", SIGNED, ids=[s[1] for s in SIGNED])
def test_signed_submission_heading(realdocs, relative, number, date, subject):
    path = realdocs / "dossiers" / relative
    if not path.is_file():
        pytest.skip(f"không có tệp {relative}")
    raw = read_file(path)
    assert raw.signatures
    doc = understand(raw)
    assert doc.number is not None and doc.number.number == number
    assert doc.date is not None and doc.date.date == dt.date.fromisoformat(date) and not doc.date.uncertain
    assert doc.subject is not None and doc.subject.text == subject
    assert doc.recipients and all("Kính gửi" not in r for r in doc.recipients)
    assert "Kính gửi" not in doc.subject.text


def test_letters_of_a_broken_to_unicode_map_are_recovered(realdocs):
    path = realdocs / "dossiers" / "Tờ trình 1223  tổ chức đại hội nhiệm kỳ Hiệp hội Doanh nghiệp tỉnh Bình Thuận" \
        / "CV 1925.signed.signed.pdf"
    if not path.is_file():
        pytest.skip("không có CV 1925")
    text = read_file(path).text
    assert "Sở Tài chính nhận được Công văn số 1185/SNV-CCVC" in text
    assert "iệp hội oanh" not in text


def test_wrapped_kinh_gui(realdocs):
    path = realdocs / "dossiers" / "Tờ trình 220 Đoàn Luật sư" / "VĂN BẢN GỬI CÁC HỘI SÁP NHẬP HỘI CÔNG CHỨNG (1).pdf"
    if not path.is_file():
        pytest.skip("không có văn bản 223/STP-BTTP")
    doc = understand(read_file(path))
    assert doc.recipients == ("Ban Chủ nhiệm Đoàn Luật, Ban chấp hành Hội công chứng viên trên địa bàn tỉnh Lâm Đồng",)
