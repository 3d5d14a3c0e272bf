"""Build the sample task register of a province (fixtures/tasks) and large registers for benchmarks.

    python -m vanban.tasks.sample fixtures/tasks            # the README demo (≈360 tasks, 22 units)
    python -m vanban.tasks.sample /tmp/big --count 100000   # a benchmark register (.xlsx and .csv)

Deterministic (seeded): the same command always writes the same rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path
from typing import Optional

from ..calendar import WorkCalendar
from ..outfiles import atomic_path

HEADERS = ["STT", "Mã", "Loại văn bản", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Người ký", "Cơ quan trình",
           "Đơn vị chủ trì", "Đơn vị phối hợp", "Nội dung nhiệm vụ", "Hạn xử lý", "Ngày hoàn thành", "Kết quả",
           "Ngày đề nghị gia hạn", "Lý do gia hạn", "Hạn mới", "Ghi chú", "Độ mật"]

UNITS = [
    "Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Sở Công Thương",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Ban Quản lý các khu công nghiệp tỉnh", "UBND phường Xuân Hương - Đà Lạt", "UBND phường Lâm Viên - Đà Lạt",
    "UBND phường Bảo Lộc 1", "UBND xã Đức Trọng", "UBND xã Di Linh", "UBND phường Phan Thiết",
    "UBND phường Bắc Gia Nghĩa",
]

# (topic, lead units that usually get it)
TOPICS = [
    ("sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn sau hợp nhất tỉnh", ["Sở Nội vụ"]),
    ("đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026", ["Sở Nội vụ"]),
    ("lập dự toán ngân sách nhà nước năm 2027 và kế hoạch tài chính 03 năm 2027 - 2029", ["Sở Tài chính"]),
    ("giải ngân vốn đầu tư công năm 2026", ["Sở Tài chính", "Sở Xây dựng"]),
    ("xử lý tài sản công dôi dư sau sắp xếp đơn vị hành chính", ["Sở Tài chính"]),
    ("quy hoạch chung đô thị Đà Lạt và vùng phụ cận", ["Sở Xây dựng"]),
    ("chương trình phát triển nhà ở xã hội giai đoạn 2026 - 2030", ["Sở Xây dựng"]),
    ("phòng, chống thiên tai, sạt lở đất mùa mưa năm 2026", ["Sở Nông nghiệp và Môi trường"]),
    ("cấp giấy chứng nhận quyền sử dụng đất tồn đọng", ["Sở Nông nghiệp và Môi trường"]),
    ("chống khai thác IUU, gỡ thẻ vàng thủy sản", ["Sở Nông nghiệp và Môi trường", "UBND phường Phan Thiết"]),
    ("bảo đảm cung ứng điện mùa khô và phát triển năng lượng tái tạo", ["Sở Công Thương"]),
    ("xúc tiến thương mại, tiêu thụ cà phê, chè, rau hoa", ["Sở Công Thương"]),
    ("chuẩn bị năm học mới 2026 - 2027", ["Sở Giáo dục và Đào tạo"]),
    ("kỳ thi tốt nghiệp trung học phổ thông năm 2026", ["Sở Giáo dục và Đào tạo"]),
    ("phòng, chống dịch sốt xuất huyết và tay chân miệng", ["Sở Y tế"]),
    ("tự chủ tài chính của các bệnh viện tuyến tỉnh", ["Sở Y tế", "Sở Tài chính"]),
    ("rà soát văn bản quy phạm pháp luật của HĐND, UBND tỉnh sau hợp nhất", ["Sở Tư pháp"]),
    ("Festival Hoa Đà Lạt lần thứ XI", ["Sở Văn hóa, Thể thao và Du lịch", "UBND phường Xuân Hương - Đà Lạt"]),
    ("phát triển du lịch đêm tại các đô thị du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("chuyển đổi số, Đề án 06 và cung cấp dịch vụ công trực tuyến toàn trình", ["Sở Khoa học và Công nghệ", "Công an tỉnh"]),
    ("chính sách hỗ trợ đồng bào dân tộc thiểu số vùng đặc biệt khó khăn", ["Sở Dân tộc và Tôn giáo"]),
    ("giải quyết khiếu nại, tố cáo kéo dài, vượt cấp", ["Thanh tra tỉnh"]),
    ("bảo đảm an ninh trật tự, an toàn giao thông dịp lễ, Tết", ["Công an tỉnh"]),
    ("diễn tập khu vực phòng thủ cấp tỉnh năm 2026", ["Bộ Chỉ huy Quân sự tỉnh"]),
    ("thu hút đầu tư vào các khu công nghiệp Lộc Sơn, Phú Hội", ["Ban Quản lý các khu công nghiệp tỉnh"]),
    ("giải phóng mặt bằng dự án đường cao tốc Tân Phú - Bảo Lộc", ["UBND phường Bảo Lộc 1", "UBND xã Di Linh"]),
    ("xử lý vi phạm trật tự xây dựng, lấn chiếm đất rừng", ["UBND phường Lâm Viên - Đà Lạt", "UBND xã Đức Trọng"]),
    ("chỉnh trang đô thị, vệ sinh môi trường khu trung tâm", ["UBND phường Xuân Hương - Đà Lạt", "UBND phường Bắc Gia Nghĩa"]),
    ("xây dựng nông thôn mới nâng cao và nông thôn mới kiểu mẫu", ["UBND xã Đức Trọng", "UBND xã Di Linh"]),
    ("ổn định dân cư tự do, quản lý đất đai trên địa bàn", ["UBND phường Bắc Gia Nghĩa", "UBND xã Di Linh"]),
]

ACTIONS = [
    ("Tham mưu UBND tỉnh ban hành Kế hoạch triển khai {t}", "Đã trình dự thảo Kế hoạch tại Tờ trình số {n}/TTr-{u}"),
    ("Rà soát, tổng hợp, báo cáo UBND tỉnh tình hình {t}", "Đã có Báo cáo số {n}/BC-{u}"),
    ("Chủ trì, phối hợp các đơn vị liên quan đề xuất giải pháp tháo gỡ khó khăn về {t}",
     "Đã có Văn bản số {n}/{u}-VP đề xuất"),
    ("Xây dựng dự thảo Quyết định của UBND tỉnh về {t}", "Đã trình tại Tờ trình số {n}/TTr-{u}"),
    ("Kiểm tra, đôn đốc và báo cáo kết quả thực hiện {t}", "Đã có Báo cáo số {n}/BC-{u}"),
    ("Tổ chức hội nghị sơ kết, đánh giá kết quả {t}", "Đã tổ chức hội nghị, có Báo cáo số {n}/BC-{u}"),
]
PROGRESS = ["Đang tổng hợp ý kiến góp ý của các sở, ngành", "Đang lấy ý kiến các đơn vị phối hợp",
            "Đã ban hành văn bản lấy ý kiến, đang hoàn thiện dự thảo", "Đang khảo sát thực tế tại địa phương",
            "Đang chờ ý kiến thẩm định của Sở Tư pháp"]
DOC_TYPES = [("Quyết định", "QĐ-UBND", 0.25), ("Công văn", "UBND-TH", 0.3), ("Thông báo", "TB-UBND", 0.2),
             ("Kế hoạch", "KH-UBND", 0.15), ("Chỉ thị", "CT-UBND", 0.1)]
SIGNERS = ["Trần Minh Khoa", "Lê Thị Hồng Nhung", "Phạm Quốc Bảo"]
EXTENSION_REASONS = ["Chờ ý kiến thẩm định của các bộ, ngành Trung ương", "Phải khảo sát bổ sung số liệu tại địa phương",
                     "Vướng mắc về nguồn vốn, đang xin ý kiến Sở Tài chính"]
UNIT_ABBR = dict(zip(UNITS, ["SNV", "STC", "SXD", "SNNMT", "SCT", "SGDĐT", "SYT", "STP", "SVHTTDL", "SKHCN",
                             "SDTTG", "TTr", "CAT", "BCH", "BQLKCN", "UBND", "UBND", "UBND", "UBND", "UBND", "UBND",
                             "UBND"]))

SNAPSHOT = dt.date(2026, 10, 9)  # the day the sample register was last updated


def _pick(rng: random.Random, items):
    return items[rng.randrange(len(items))]


def generate_rows(count: int, *, seed: int = 2026, year: int = 2026, snapshot: dt.date = SNAPSHOT,
                  calendar: Optional[WorkCalendar] = None, special_rows: bool = True) -> list[list]:
    """Register rows (cells in HEADERS order): dates as date objects, empty cells as None."""
    rng = random.Random(seed)
    calendar = calendar or WorkCalendar()
    unit_weights = [1.0 + (i % 5) * 0.4 for i in range(len(UNITS))]
    rows = []
    numbers: dict[str, int] = {}
    issue_span = (snapshot - dt.date(year, 1, 5)).days
    for index in range(count):
        topic, leads = _pick(rng, TOPICS)
        unit = _pick(rng, leads) if rng.random() < 0.8 else rng.choices(UNITS, unit_weights)[0]
        doc_type, suffix = rng.choices([(d, s) for d, s, _ in DOC_TYPES], [w for _, _, w in DOC_TYPES])[0]
        issued = dt.date(year, 1, 5) + dt.timedelta(days=rng.randrange(issue_span))
        while not calendar.is_working_day(issued):
            issued += dt.timedelta(days=1)
        symbol = suffix  # numbered below, in order of issue
        action, result_form = _pick(rng, ACTIONS)
        content = action.format(t=topic)
        summary = f"{doc_type} về {topic}" if doc_type != "Thông báo" else f"Kết luận của Chủ tịch UBND tỉnh về {topic}"
        deadline = None if rng.random() < 0.08 else calendar.add_working_days(issued, rng.choice([5, 10, 15, 20, 30, 45]))
        completed = result = requested = reason = new_deadline = None
        lateness = rng.random()
        if deadline is not None and rng.random() < 0.1:  # an extension request, timely or not
            requested = calendar.add_working_days(deadline, -rng.choice([1, 2, 3, 5]))
            if requested < issued:
                requested = issued
            reason = _pick(rng, EXTENSION_REASONS)
            new_deadline = calendar.add_working_days(deadline, rng.choice([10, 15, 20]))
        target = new_deadline or deadline or calendar.add_working_days(issued, 20)
        if lateness < 0.82:
            completed = calendar.add_working_days(issued, max(1, (calendar.working_days_between(issued, target))
                                                              - rng.randint(0, 4)))
        elif lateness < 0.95:
            completed = calendar.add_working_days(target, rng.randint(1, 15))
        if completed is not None and completed > snapshot:
            completed = None
        n = rng.randint(10, 400)
        if completed is not None:
            result = result_form.format(n=n, u=UNIT_ABBR[unit]) + f" ngày {completed:%d/%m/%Y}"
        elif rng.random() < 0.55:
            result = _pick(rng, PROGRESS)
        coordinators = "; ".join(rng.sample([u for u in UNITS if u != unit], rng.randint(0, 3))) or None
        rows.append([index + 1, None, doc_type, symbol, issued, summary, _pick(rng, SIGNERS), None, unit,
                     coordinators, content, deadline, completed, result, requested, reason, new_deadline, None, None])
    # documents of one type are numbered in order of issue through the year
    rows.sort(key=lambda r: (r[4], r[0]))
    for index, row in enumerate(rows, start=1):
        suffix = row[3]
        numbers[suffix] = numbers.get(suffix, 0) + rng.randint(1, 3)
        row[0], row[3] = index, f"{numbers[suffix]}/{suffix}"
    if special_rows and count >= 50:
        # two rows from secret documents (refused) and one with an impossible date (reported)
        rows[10][18] = "Mật"
        rows[20][18] = "Tối mật"
        rows[30][11] = "31/09/2026"
    return rows


def write_xlsx(rows: list[list], path: Path, *, title: Optional[str] = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sổ theo dõi nhiệm vụ")
    for letter, width in zip("ABCDEFGHIJKLMNOPQRS", [5, 8, 12, 14, 12, 40, 18, 14, 28, 30, 60, 12, 12, 40, 12, 30,
                                                     12, 20, 8]):
        ws.column_dimensions[letter].width = width
    if title:
        ws.append([title])
        ws.append([])
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(row)
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return path


def write_csv(rows: list[list], path: Path, *, delimiter: str = ";") -> Path:
    with atomic_path(path, suffix=".csv") as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else ("" if v is None else v) for v in row])
    return path


def programme_rows(*, seed: int = 7, year: int = 2026) -> list[list]:
    """A work programme: content, lead agency, month due, submitted, issued."""
    rng = random.Random(seed)
    rows = []
    for month in range(1, 13):
        for _ in range(rng.randint(4, 7)):
            topic, leads = _pick(rng, TOPICS)
            due = f"{month:02d}/{year}"
            month_end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            submitted = issued = None
            if month_end <= SNAPSHOT + dt.timedelta(days=40) and rng.random() < 0.8:
                submitted = month_end - dt.timedelta(days=rng.randint(0, 25))
                if rng.random() < 0.75:
                    issued = submitted + dt.timedelta(days=rng.randint(3, 20))
            if submitted and submitted > SNAPSHOT:
                submitted = issued = None
            if issued and issued > SNAPSHOT:
                issued = None
            rows.append([f"Dự thảo văn bản của UBND tỉnh về {topic}", _pick(rng, leads), due, submitted, issued])
    return rows


def write_programme_xlsx(rows: list[list], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Chương trình công tác"
    ws.append(["Nội dung", "Cơ quan chủ trì", "Thời gian trình", "Ngày trình", "Ngày ban hành"])
    for row in rows:
        ws.append(row)
        for col in (4, 5):
            ws.cell(ws.max_row, col).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDE", [70, 34, 14, 14, 14]):
        ws.column_dimensions[letter].width = width
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return path


SAMPLE_CONFIG = """# Cấu hình theo dõi nhiệm vụ (schemas/tasks-config.schema.json)
remind_within_days: 5          # đôn đốc nhiệm vụ đến hạn trong 5 ngày làm việc
criticize_after_reminders: 2   # phê bình khi đã đôn đốc 2 lần mà chưa hoàn thành
explanation_days: 5            # báo cáo giải trình trong 5 ngày làm việc
report_back_days: 5            # báo cáo kết quả sau đôn đốc trong 5 ngày làm việc
extension_notice_days: 2       # đề nghị gia hạn trước hạn ít nhất 02 ngày làm việc
drafting_unit: TH
signer: pct-tong-hop
report_recipients:             # báo cáo định kỳ: nơi nhận để báo cáo (b/c)
  - Thường trực Tỉnh ủy
  - Thường trực HĐND tỉnh
report_distribution:           # và các nơi nhận khác (seed 002)
  - Chủ tịch, các PCT UBND tỉnh
  - Các sở, ban, ngành thuộc UBND tỉnh
  - UBND các xã, phường
calendar: ngay-nghi-2026.yaml
"""

SAMPLE_CALENDAR = """# Ngày nghỉ, ngày làm bù bổ sung của tỉnh (schemas/calendar.schema.json)
days_off:
  - {date: 2026-04-03, name: "Kỷ niệm Ngày giải phóng tỉnh (nghỉ theo quyết định của UBND tỉnh)"}
working_days:
  - {date: 2026-04-11, name: "Làm bù cho ngày 03/4/2026"}
"""


def build_sample(out_dir: Path, *, count: int = 360) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = generate_rows(count)
    written = [write_xlsx(rows, out_dir / "so-theo-doi-nhiem-vu-2026.xlsx",
                          title="SỔ THEO DÕI NHIỆM VỤ DO UBND TỈNH, CHỦ TỊCH UBND TỈNH GIAO NĂM 2026"),
               write_csv(rows, out_dir / "so-theo-doi-nhiem-vu-2026.csv"),
               write_programme_xlsx(programme_rows(), out_dir / "chuong-trinh-cong-tac-2026.xlsx")]
    for name, text in (("nhiem-vu.yaml", SAMPLE_CONFIG), ("ngay-nghi-2026.yaml", SAMPLE_CALENDAR)):
        (out_dir / name).write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    return written


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo sổ theo dõi nhiệm vụ mẫu.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=None, help="Số nhiệm vụ (mặc định: bộ mẫu 360 nhiệm vụ).")
    args = parser.parse_args(argv)
    if args.count is None:
        paths = build_sample(args.out_dir)
    else:
        rows = generate_rows(args.count, special_rows=False)
        paths = [write_xlsx(rows, args.out_dir / f"nhiem-vu-{args.count}.xlsx"),
                 write_csv(rows, args.out_dir / f"nhiem-vu-{args.count}.csv")]
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
