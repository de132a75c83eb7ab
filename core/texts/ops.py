"""Messages to admins and operators about the bot's own health (Vietnamese, formal)."""

PLATFORM_NAMES = {"telegram": "Telegram", "zalo": "Zalo"}

CHANNEL_DOWN = (
    "⚠️ Kênh {channel} của bot đang gián đoạn ({reason}). Tin nhắn của mọi người vẫn được "
    "giữ lại và sẽ được trả lời khi kênh hoạt động lại; bot tự kiểm tra lại định kỳ."
)
CHANNEL_UP = "✅ Kênh {channel} của bot đã hoạt động trở lại."
REASONS = {
    "token": "mã token bị từ chối, cần kiểm tra hoặc cấp lại token",
    "network": "không kết nối được tới máy chủ nhắn tin",
}

BACKUP_DONE = "Đã sao lưu cơ sở dữ liệu vào {path} ({size} byte, phiên bản lược đồ {revision})."
BACKUP_POSTGRES = (
    "Cơ sở dữ liệu là PostgreSQL (kết nối thử: {status}). Hãy sao lưu bằng pg_dump, ví dụ:\n"
    "  pg_dump --format=custom --file={out} \"postgresql://USER@HOST:PORT/DBNAME\"\n"
    "và khôi phục bằng pg_restore --clean --dbname=... {out}"
)
BACKUP_FAILED = "Không sao lưu được: {reason}"
RESTORE_DONE = "Đã khôi phục {path} vào {target} (phiên bản lược đồ {revision})."
RESTORE_REFUSED = "Không khôi phục: {reason}"
NOT_A_BACKUP = "tệp không phải bản sao lưu cơ sở dữ liệu của bot"
NEWER_BACKUP = "bản sao lưu có phiên bản lược đồ {revision}, mới hơn phiên bản bot này hỗ trợ"
TARGET_EXISTS = ("đã có cơ sở dữ liệu tại {target}; hãy dừng bot, chuyển tệp cũ đi chỗ khác "
                 "(hoặc dùng --force) rồi khôi phục")
RESTORE_POSTGRES = "với PostgreSQL hãy khôi phục bằng pg_restore (xem python -m bot backup)"
REACHABLE = "được"
UNREACHABLE = "KHÔNG được"
