"""Vietnamese strings of the exports: /xuat, the DOCX report, the XLSX workbook and the chart."""

from __future__ import annotations

# --- /xuat --------------------------------------------------------------------------------------
ASK_PERIOD = "Xuất báo cáo tổng hợp của kỳ nào?"
ASK_FORMAT = "Đồng chí cần tệp định dạng nào?"
FORMAT_LABELS = {
    "docx": "Báo cáo Word (DOCX, thể thức Nghị định 30)",
    "xlsx": "Bảng tổng hợp Excel (XLSX)",
}
FILE_READY = (
    "Báo cáo tổng hợp kỳ {period}: {kind}. Đây là dự thảo, đồng chí rà soát trước khi trình ký."
)
# Before a long export (handlers/export.py, LONG_EXPORT_UNITS); {units} as "5.000".
EXPORT_PROGRESS = (
    "Đang tạo báo cáo tổng hợp kỳ {period} – {kind} – cho {units} cơ quan, đơn vị. "
    "Việc này mất một lúc, đồng chí vui lòng chờ…"
)
LINK_READY = (
    "Báo cáo tổng hợp kỳ {period}: {kind}, đã sẵn sàng. Zalo không gửi được tệp, "
    "đồng chí tải về tại đường dẫn sau (hiệu lực đến {expires}):\n{url}"
)
NO_LINK = (
    "Kênh này không gửi được tệp và máy chủ chưa cấu hình đường dẫn tải về "
    "(PUBLIC_BASE_URL, LINK_SECRET). Đồng chí dùng lệnh trên máy chủ:\n"
    "python -m bot export --period {period} --format {fmt} --out {file_name}"
)
LINK_FORBIDDEN = "Đường dẫn tải về không hợp lệ."
# One link serves /xuat, /thanhpho and /baocaophuong: name the command the reader used.
LINK_EXPIRED = ("Đường dẫn tải về đã hết hạn. Đồng chí gõ lại lệnh đã dùng (/xuat, /thanhpho "
                "hoặc /baocaophuong) để nhận đường dẫn mới.")
LINK_MISSING = ("Tệp không còn trên máy chủ. Đồng chí gõ lại lệnh đã dùng (/xuat, /thanhpho "
                "hoặc /baocaophuong) để xuất lại.")
CHART_CAPTION = "Biểu đồ tiến độ thực hiện nhiệm vụ, kỳ {period}"

# --- CLI ----------------------------------------------------------------------------------------
CLI_HELP = "xuất báo cáo tổng hợp một kỳ ra tệp DOCX hoặc XLSX"
CLI_UNKNOWN_PERIOD = "Không tìm thấy kỳ báo cáo «{arg}». Các kỳ hiện có: {known}"
CLI_WRITTEN = "Đã ghi {path}"

# --- DOCX ---------------------------------------------------------------------------------------
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
AGENCY_TOP = "ỦY BAN NHÂN DÂN"
AGENCY_FULL = "Ủy ban nhân dân {kind} {name}"
DOC_NUMBER = "Số:      /BC-UBND"
PLACE_DATE = "{place}, ngày      tháng      năm {year}"
DOC_TYPE = "BÁO CÁO"
SUBJECT = "Kết quả thực hiện công tác dân vận chính quyền {period}"
OPENING = (
    "Thực hiện Kế hoạch số {plan} ngày {issued} của {agency} về {plan_title}, "
    "{agency} báo cáo kết quả thực hiện công tác dân vận chính quyền {period} như sau:"
)
PART_RESULTS = "I. KẾT QUẢ THỰC HIỆN"
SUBMISSION_STATE = (
    "Tính đến ngày {today}, có {submitted}/{total} cơ quan, đơn vị đã gửi báo cáo "
    "({on_time} đúng hạn, {late} nộp muộn); {missing} cơ quan, đơn vị chưa gửi báo cáo."
)
TASK_STATE = "Tình hình thực hiện: {counts}."
NO_RESULT = "Tình hình thực hiện: chưa có cơ quan, đơn vị báo cáo nhiệm vụ này."
COUNT_ITEM = "{label} {count} đơn vị"
RESULT_NOT_APPLICABLE = "Không phát sinh."
RESULT_EMPTY = "(không ghi kết quả)"
PART_DIFFICULTIES = "II. HẠN CHẾ, KHÓ KHĂN"
NO_DIFFICULTIES = "Các cơ quan, đơn vị chưa nêu hạn chế, khó khăn trong kỳ."
PART_PROPOSALS = "III. ĐỀ XUẤT, KIẾN NGHỊ"
NO_PROPOSALS = "Các cơ quan, đơn vị chưa có đề xuất, kiến nghị trong kỳ."
GROUP_TASK = "Nhiệm vụ {code}. {title}:"
CLOSING = (
    "Trên đây là báo cáo kết quả thực hiện công tác dân vận chính quyền {period} "
    "của {agency}./."
)
RECIPIENTS = "Nơi nhận:"
APPENDIX = "PHỤ LỤC"
APPENDIX_TITLE = "Tổng hợp tình trạng thực hiện nhiệm vụ {period}"
APPENDIX_NOTE = "(Kèm theo Báo cáo số      /BC-UBND ngày      tháng      năm {year} của {agency})"
APPENDIX_HEADERS = ("STT", "Nhiệm vụ", "Hoàn thành", "Đang triển khai", "Chưa triển khai",
                    "Không phát sinh", "Chưa báo cáo")
APPENDIX_LATE = "Cơ quan, đơn vị nộp báo cáo muộn ({count}):"
APPENDIX_MISSING = "Cơ quan, đơn vị chưa nộp báo cáo ({count}):"
NONE = "Không có."
MISSING_LABEL = "Chưa báo cáo"
NOT_ASSIGNED_LABEL = "Không giao"

# --- XLSX ---------------------------------------------------------------------------------------
# Sheet names (at most 31 characters, none of []:*?/\), in workbook order.
SHEET_COUNTS = "Theo nhiệm vụ"
SHEET_MATRIX = "Theo đơn vị"
SHEET_ENTRIES = "Chi tiết kết quả"
SHEET_SUBMISSIONS = "Nộp báo cáo"
SHEET_ISSUES = "Khó khăn, đề xuất"
SHEET_TASKS = "Nội dung nhiệm vụ"
# The title block above every sheet's table: agency, sheet title, plan, period.
XLSX_AGENCY = "Ủy ban nhân dân {kind} {name}"
XLSX_PLAN = "Kế hoạch số {plan} ngày {issued}: {plan_title}"
XLSX_PERIOD = "Kỳ báo cáo: {period} (hạn nộp {deadline}); số liệu tính đến ngày {today}"
XLSX_FOOTER = "Trang &P/&N"  # XlsxWriter's codes: page number, page count
COUNTS_TITLE = "Số cơ quan, đơn vị theo tình trạng thực hiện từng nhiệm vụ"
MATRIX_TITLE = "Tình trạng thực hiện nhiệm vụ của từng cơ quan, đơn vị"
XLSX_DOC_TITLE = "{title}, kỳ {period}"
ENTRIES_TITLE = "Kết quả thực hiện nhiệm vụ của từng cơ quan, đơn vị"
SUBMISSIONS_TITLE = "Tình hình nộp báo cáo của các cơ quan, đơn vị"
ISSUES_TITLE = "Hạn chế, khó khăn và đề xuất, kiến nghị của các cơ quan, đơn vị"
TASKS_TITLE = "Nội dung các nhiệm vụ theo kế hoạch"
MATRIX_HEADERS = ("Mã đơn vị", "Cơ quan, đơn vị", "Nộp báo cáo")
MATRIX_NAMES_LABEL = "Nhiệm vụ"  # above the codes, on the row of task names
ENTRY_HEADERS = ("STT", "Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan, đơn vị", "Tình trạng", "Kết quả",
                 "Hạn chế, khó khăn", "Đề xuất, kiến nghị", "Cập nhật lúc")
SUBMISSION_HEADERS = ("Mã đơn vị", "Cơ quan, đơn vị", "Số nhiệm vụ đã báo cáo", "Nộp lúc",
                      "Tình trạng nộp", "Số lần nộp")
ISSUE_HEADERS = ("Loại", "Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan, đơn vị", "Nội dung")
ISSUE_DIFFICULTY = "Hạn chế, khó khăn"
ISSUE_PROPOSAL = "Đề xuất, kiến nghị"
COUNT_HEADERS = ("Mã nhiệm vụ", "Nhiệm vụ", "Hoàn thành", "Đang triển khai", "Chưa triển khai",
                 "Không phát sinh", "Chưa báo cáo")
TASK_HEADERS = ("Mã nhiệm vụ", "Phần", "Nhiệm vụ", "Nội dung đầy đủ")
SUBMITTED_ON_TIME = "Đúng hạn"
SUBMITTED_LATE = "Nộp muộn"
NOT_SUBMITTED = "Chưa nộp"

# --- Chart --------------------------------------------------------------------------------------
CHART_TITLE = "Tiến độ thực hiện nhiệm vụ, kỳ {period}"
CHART_XLABEL = "Số cơ quan, đơn vị"
