"""Reporting rounds: adding, closing, reopening, a new year's plan (chat and command line)."""

ROUND_NAME = "Báo cáo {title}"
ROUND_CLOSED = (
    "{name} ({code}) đã khóa: không nhận thêm báo cáo, chỉnh sửa hay nộp. "
    "Nếu cần, xin đề nghị Phòng Văn hóa - Xã hội mở lại kỳ."
)
NO_ROUND = (
    "Không tìm thấy kỳ báo cáo «{named}». Xem danh sách: /lich (hoặc python -m bot periods)."
)
NO_PLAN = "Không tìm thấy kế hoạch số {number}."
NO_PLANS = "Chưa có kế hoạch nào. Nhập kế hoạch trước: python -m bot plan import TỆP."
BAD_YEAR = "Năm {year} không hợp lệ."
BAD_KINDS = "Loại kỳ không hợp lệ: {kinds} (dùng 6T, 9T, NAM)."
BAD_TITLE = "Tên kỳ báo cáo đột xuất cần từ 3 đến 200 ký tự."
PAST_DUE = "Hạn {day} đã qua; xin chọn một ngày sau hôm nay."
BAD_NUMBER = "Cần số hiệu kế hoạch mới, ví dụ 30/KH-UBND."
PLAN_EXISTS = "Đã có kế hoạch số {number}."

ADDED = "Đã thêm vào kế hoạch {plan}: {rounds}."
ADDED_LINE = "{name} (mã {code}, hạn nộp trước ngày {due})"
NOTHING_ADDED = "Các kỳ {codes} đã có sẵn; không thêm gì."
ALREADY = "Đã có sẵn: {codes}."
ADHOC_ADDED = "Đã thêm kỳ báo cáo đột xuất: {name} (mã {code}, hạn nộp trước ngày {due})."
ADHOC_SCOPE = "Nhiệm vụ: {tasks}. Đơn vị báo cáo: {units}."
ALL_TASKS = "tất cả"
ALL_UNITS = "tất cả đơn vị đang hoạt động"
UNKNOWN_TASKS = "Không có nhiệm vụ mã {codes} trong kế hoạch. Chưa thêm gì."
UNKNOWN_UNITS = "Không có đơn vị đang hoạt động mã {codes}. Chưa thêm gì."
CLOSED = "Đã khóa {name} ({code}): dừng nhắc hạn, dừng thư tổng hợp, không nhận chỉnh sửa."
REOPENED = "Đã mở lại {name} ({code}): nhắc hạn và thư tổng hợp tiếp tục, đơn vị báo cáo được."
COPY_PREVIEW = (
    "Kế hoạch mới {number} ngày {date}, sao từ kế hoạch {source}: {sections} mục, "
    "{tasks} nhiệm vụ; các kỳ báo cáo năm {year}: {rounds}."
)
COPY_DONE = "Đã tạo kế hoạch {number} với {tasks} nhiệm vụ và các kỳ {rounds}."
CONFIRM_QUESTION = "Tạo kế hoạch này? (c/k): "
NOT_CONFIRMED = "Chưa tạo gì."
BAD_DATE = "Ngày «{text}» không đúng dạng dd/mm/yyyy."

# Chat: /kybaocao
MENU = "Quản lý kỳ báo cáo. Xin chọn:"
MENU_YEAR = "Thêm các kỳ 6 tháng, 9 tháng, năm của một năm"
MENU_ADHOC = "Thêm kỳ báo cáo đột xuất"
MENU_CLOSE = "Khóa một kỳ"
MENU_REOPEN = "Mở lại một kỳ"
ASK_YEAR = "Xin gõ năm (ví dụ {year}):"
ASK_ADHOC_TITLE = "Xin gõ tên kỳ báo cáo đột xuất (ví dụ: Báo cáo đột xuất về công tác GPMB):"
ASK_ADHOC_DUE = "Hạn nộp trước ngày nào? Xin gõ dd/mm/yyyy (ví dụ {example}):"
ASK_ADHOC_TASKS = (
    "Kỳ này hỏi những nhiệm vụ nào? Xin gõ mã nhiệm vụ, cách nhau bởi dấu phẩy (ví dụ: 1.1, 2.3), "
    "hoặc chọn «Tất cả nhiệm vụ»."
)
ASK_ADHOC_UNITS = (
    "Đơn vị nào phải báo cáo? Xin gõ mã đơn vị, cách nhau bởi dấu phẩy ({codes}), "
    "hoặc chọn «Tất cả đơn vị»."
)
ADHOC_ALL_TASKS = "Tất cả nhiệm vụ"
ADHOC_ALL_UNITS = "Tất cả đơn vị"
ASK_WHICH_CLOSE = "Khóa kỳ nào?"
ASK_WHICH_REOPEN = "Mở lại kỳ nào?"
NONE_TO_CLOSE = "Không có kỳ nào đang mở."
NONE_TO_REOPEN = "Không có kỳ nào đã khóa."
MENU_COPY = "Kế hoạch năm mới, sao từ kế hoạch năm trước"
ASK_COPY = (
    "Xin gõ số hiệu và ngày ban hành của kế hoạch mới, ví dụ: 12/KH-UBND 15/01/{year}. "
    "Các nhiệm vụ được sao từ kế hoạch gần nhất; các kỳ 6 tháng, 9 tháng, năm được tạo theo năm "
    "của ngày ban hành."
)
BAD_COPY = "Chưa đọc được. Xin gõ theo mẫu: 12/KH-UBND 15/01/{year}."
COPY_YES = "Tạo kế hoạch"
COPY_NO = "Hủy"
