"""Strings of the Zalo channel: quota notices and what Zalo cannot carry."""

QUOTA_WARNING = (
    "Thông báo: bot Zalo đã gửi {used}/{limit} tin nhắn trong tháng {month} "
    "(đạt {percent}% hạn mức của gói Zalo). Khi hết hạn mức, bot vẫn trả lời tin nhắn của "
    "người dùng nhưng tạm dừng các tin nhắc hạn, thông báo do bot chủ động gửi qua Zalo "
    "cho đến đầu tháng sau."
)
QUOTA_EXHAUSTED = (
    "Thông báo: bot Zalo đã dùng hết hạn mức {limit} tin nhắn của tháng {month}. "
    "Các tin nhắc hạn, thông báo gửi qua Zalo được tạm giữ và sẽ tự động gửi từ ngày "
    "{resume}. Bot vẫn trả lời khi người dùng nhắn tin. Để gửi ngay, xin nâng cấp gói "
    "Zalo Bot hoặc liên hệ người dùng qua kênh khác."
)
QUOTA_LINE = "Hạn mức tin nhắn Zalo tháng {month}: đã dùng {used}/{limit}, còn {remaining}."
QUOTA_UNLIMITED = "Tin nhắn Zalo đã gửi trong tháng {month}: {used} (không đặt hạn mức)."
FILE_NOT_ON_ZALO = (
    "(Tệp «{name}» không gửi được qua Zalo. Xin nhận tệp qua Telegram hoặc liên hệ "
    "Phòng Văn hóa - Xã hội.)"
)
WEBHOOK_NOT_CONFIGURED = (
    "ZALO_MODE=webhook cần PUBLIC_BASE_URL (địa chỉ HTTPS công khai) và ZALO_WEBHOOK_SECRET "
    "(8–256 ký tự). Xin bổ sung trong .env hoặc dùng ZALO_MODE=polling."
)
START_FAILED = "Không kết nối được Zalo Bot API: {reason}. Kiểm tra ZALO_BOT_TOKEN và mạng."
QUOTA_RETRY_DETAIL = "hết hạn mức tin nhắn Zalo tháng {month}"
