"""Vietnamese strings of the Telegram channel: command menu, choice echo, start-up errors."""

# The command menu (setMyCommands). Only commands the router really has are published.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("baocao", "Báo cáo kết quả thực hiện nhiệm vụ"),
    ("tiendo", "Xem tiến độ báo cáo của đơn vị"),
    ("nop", "Nộp báo cáo của đơn vị"),
    ("tonghop", "Tổng hợp báo cáo các đơn vị (quản trị)"),
    ("moi", "Tạo mã mời người dùng mới (quản trị)"),
    ("lich", "Hạn nộp và lịch nhắc của các kỳ báo cáo"),
    ("nhacnho", "Nhắc ngay các đơn vị chưa nộp (quản trị)"),
    ("thongbao", "Soạn và gửi thông báo tuyên truyền (quản trị)"),
    ("tinhtrang", "Tình hình gửi và xác nhận thông báo (quản trị)"),
    ("xuat", "Xuất báo cáo DOCX/XLSX (quản trị)"),
    ("web", "Đường dẫn đăng nhập trang quản trị"),
    ("danhan", "Xác nhận đã nhận thông báo"),
    ("dangky", "Đăng ký bằng mã mời"),
    ("trogiup", "Hướng dẫn và danh sách lệnh"),
    ("huy", "Hủy thao tác đang dở"),
    ("start", "Bắt đầu sử dụng bot"),
)

# Appended to a menu message once a button on it was pressed (its buttons are removed).
CHOSEN = "➜ Đã chọn: {label}"
# The first line of a menu message edited into the next step: the choice that led there.
CHOSEN_STEP = "✔ Đã chọn: {label}"
# A menu reply without text (Telegram refuses empty messages).
MENU_ONLY = "Xin đồng chí chọn một mục:"

TOKEN_REJECTED = (
    "Telegram từ chối TELEGRAM_BOT_TOKEN. Xin kiểm tra lại token do @BotFather cấp "
    "(xem .env.example)."
)
CONNECT_FAILED = (
    "Không kết nối được máy chủ Telegram ({detail}). Xin kiểm tra mạng và TELEGRAM_API_BASE_URL."
)
WEBHOOK_NEEDS_URL = (
    "Chế độ webhook (TELEGRAM_MODE=webhook) cần PUBLIC_BASE_URL: địa chỉ công khai của bot, "
    "ví dụ https://bot.phuong.gov.vn (xem .env.example)."
)
WEBHOOK_NEEDS_SECRET = (
    "Chế độ webhook cần TELEGRAM_WEBHOOK_SECRET gồm 1–256 ký tự A-Z, a-z, 0-9, dấu _ hoặc - "
    "(xem .env.example)."
)
