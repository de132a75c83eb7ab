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
NO_PERIOD = ("Chưa có kỳ báo cáo", "Chưa có kỳ báo cáo nào.")
