"""Vietnamese strings of the web desk (bot/desk) and of /web; the pages' own wording is in the
desk's templates."""

from __future__ import annotations

# --- /web in chat -------------------------------------------------------------------------------
LINK_READY = (
    "Đường dẫn đăng nhập trang quản trị (chỉ dùng được một lần, hiệu lực đến {expires}):\n{url}\n"
    "Không chuyển đường dẫn này cho người khác."
)
NO_ACCESS = "Tài khoản của đồng chí không được dùng trang quản trị."
NO_ADDRESS = (
    "Máy chủ chưa cấu hình địa chỉ công khai (PUBLIC_BASE_URL), nên chưa tạo được đường dẫn. "
    "Trên máy chủ, đồng chí dùng lệnh: python -m bot web --as {person}"
)

# --- `python -m bot web` ------------------------------------------------------------------------
CLI_HELP = "phục vụ riêng trang quản trị (không cần token) và in đường dẫn đăng nhập một lần"
CLI_AS_HELP = "người đăng nhập: mã số hoặc họ tên (xem python -m bot people)"
CLI_UNKNOWN = "Không tìm thấy người «{who}» (mã số hoặc họ tên, xem python -m bot people)."
CLI_NO_ACCESS = "«{who}» không được dùng trang quản trị (chỉ quản trị và thủ trưởng đơn vị)."
CLI_SERVING = (
    "Trang quản trị đang chạy tại {base}/desk/ (Ctrl+C để dừng).\n"
    "Đường dẫn đăng nhập một lần cho {name}, hiệu lực đến {expires}:\n{url}"
)
CLI_START_FAILED = "Không khởi động được máy chủ web: {reason}"

# --- Pages refusing something (title, explanation) ----------------------------------------------
NEED_LOGIN = ("Cần đăng nhập",
              "Đồng chí cần đăng nhập bằng đường dẫn một lần: gõ /web trong Zalo hoặc Telegram.")
FORBIDDEN = ("Không có quyền truy cập", "Trang này chỉ dành cho cán bộ quản trị.")
CITY_ONLY = ("Không có quyền truy cập", "Trang này chỉ dành cho cán bộ thành phố.")
NOT_FOUND = ("Không tìm thấy", "Trang hoặc dữ liệu này không tồn tại.")
CSRF = ("Yêu cầu không hợp lệ",
        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Đồng chí tải lại trang rồi thử lại.")
LINK_USED = ("Đường dẫn đã được dùng",
             "Đường dẫn đăng nhập chỉ dùng được một lần. Gõ /web để nhận đường dẫn mới.")
LINK_EXPIRED = ("Đường dẫn đã hết hạn",
                "Đường dẫn đăng nhập chỉ có hiệu lực 15 phút. Gõ /web để nhận đường dẫn mới.")
LINK_UNKNOWN = ("Đường dẫn không hợp lệ",
                "Đường dẫn đăng nhập không đúng. Gõ /web để nhận đường dẫn mới.")
LINK_NO_ACCESS = ("Không có quyền truy cập", NO_ACCESS)
TOO_MANY = ("Thử quá nhiều lần", "Đồng chí thử lại sau ít phút.")
SIGNED_OUT = ("Đã đăng xuất", "Phiên làm việc đã kết thúc. Gõ /web để đăng nhập lại.")
CITY_TITLE = "Tổng hợp các xã, phường"
CITY_SEND_REFUSED = "Chưa gửi được lên thành phố"
NO_PERIOD = ("Chưa có kỳ báo cáo", "Chưa có kỳ báo cáo nào.")

# --- Uploads and refusals of a use case ---------------------------------------------------------
REFUSED_TITLE = "Chưa thực hiện được"
UPLOAD_TOO_BIG = ("Tệp quá lớn", "Tệp vượt quá giới hạn 10 MB nên không được nhận. Không có gì "
                  "thay đổi.")
UPLOAD_MISSING = ("Chưa chọn tệp", "Đồng chí chưa chọn tệp để tải lên. Không có gì thay đổi.")
UPLOAD_WRONG_TYPE = ("Tệp không đúng loại",
                     "Tệp tải lên không phải tệp Word (.docx) hoặc Excel (.xlsx) như yêu cầu "
                     "(có thể tệp bị đổi đuôi hoặc bị hỏng). Không có gì thay đổi.")
UPLOAD_GONE = ("Tệp xem trước đã hết hạn",
               "Không tìm thấy tệp đã tải lên để xác nhận. Đồng chí tải tệp lên lại.")

# --- The audit log page: action names ----------------------------------------------------------
AUDIT_ACTIONS = {
    "activate": "Kích hoạt lại", "deactivate": "Ngừng hoạt động",
    "broadcast_ack": "Xác nhận đã nhận thông báo", "broadcast_cancel": "Hủy thông báo",
    "broadcast_edit": "Sửa thông báo", "broadcast_resend": "Gửi lại thông báo",
    "broadcast_sent": "Gửi thông báo", "broadcast_scheduled": "Hẹn gửi thông báo",
    "entry_saved": "Lưu báo cáo nhiệm vụ", "submitted": "Nộp báo cáo",
    "invite": "Tạo mã mời", "invite_bulk": "Tạo mã mời hàng loạt", "register": "Đăng ký bot",
    "period_closed": "Khóa kỳ báo cáo", "period_reopened": "Mở lại kỳ báo cáo",
    "plan_copied": "Sao chép kế hoạch", "plan_imported": "Nhập kế hoạch",
    "round_added": "Thêm kỳ báo cáo", "rounds_added": "Thêm các kỳ báo cáo",
    "reminder_now": "Nhắc báo cáo ngay", "roster_import": "Nhập danh sách",
    "task_assigned": "Giao nhiệm vụ", "calendar_override": "Điều chỉnh lịch làm việc",
    "report_sections": "Sửa phần báo cáo của quản trị", "city_send": "Gửi báo cáo lên thành phố",
    "web_login": "Đăng nhập trang quản trị",
}

# --- Roster, plans, report pages -----------------------------------------------------------
ROSTER_IMPORTED = "Đã nhập danh sách"
# The CLI's "--replace" means nothing here: the desk's choice is the «Thay thế» box.
ROSTER_UNLISTED_KEEP = (
    "Không còn trong tệp, vẫn giữ nguyên ({count}; muốn ngừng sử dụng thì tải tệp lên lại và "
    "đánh dấu «Thay thế»):"
)
ROSTER_CHANGED = "Đã cập nhật danh sách"
INVITE_NEEDS_PLACE = (
    "Thủ trưởng đơn vị cần mã cơ quan, đơn vị; tổ trưởng cần mã tổ dân phố (xem trang Danh sách)."
)
PLANS_CHANGED = "Đã cập nhật kế hoạch, kỳ báo cáo"
BAD_DATE = "Ngày phải có dạng dd/mm/yyyy, ví dụ 20/11/2025."
DAY_OFF = "Đã đặt ngày {day} là ngày nghỉ."
DAY_WORK = "Đã đặt ngày {day} là ngày làm việc (làm bù)."
DAY_CLEARED = "Đã bỏ điều chỉnh ngày {day}: ngày đó theo lịch thường."
DAY_NOT_OVERRIDDEN = "Ngày {day} không có điều chỉnh nào; chưa thay đổi gì."
REPORT_SAVED = "Đã lưu các phần báo cáo của kỳ {period}."
AUDIT_BROADCAST = "thông báo số {id}"
AUDIT_TASK = "nhiệm vụ {code}"
AUDIT_PERIOD = "kỳ báo cáo số {id}"
NOT_ASSIGNED = "Không được giao"
NOT_REPORTED = "Chưa báo cáo"
AUDIT_PLAN = "kế hoạch {number}"
AUDIT_YEAR = "năm {year}"
# The audit log's detail keys as the page shows them (unknown keys are shown as they are).
AUDIT_KEYS = {
    "id": "số", "messages": "tin nhắn", "people": "người", "added": "thêm", "changed": "sửa",
    "deactivated": "ngừng", "count": "số lượng", "tasks": "nhiệm vụ", "periods": "kỳ báo cáo",
    "period": "kỳ báo cáo", "kind": "loại", "key": "mã", "role": "vai trò", "units": "đơn vị",
    "parts": "phần", "codes": "mã", "note": "ghi chú", "number": "số", "platform": "kênh",
    "year": "năm", "task": "nhiệm vụ", "source": "nguồn",
}
FORM_TOO_BIG = ("Nội dung quá dài", "Biểu mẫu gửi lên quá lớn nên không được nhận. Không có gì "
                "thay đổi.")
