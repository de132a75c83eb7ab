"""Strings of reminders, digests, /lich, /nhacnho, /khoaky and the schedule CLI."""

# --- Reminders to unit heads ----------------------------------------------------------------
REMINDER = (
    "Kính gửi đồng chí {name},\n"
    "Nhắc hạn báo cáo {period} của {unit}.\n"
    "Hạn nộp: {deadline} ({when})."
)
REMINDER_MANUAL = (
    "Kính gửi đồng chí {name},\n"
    "Phòng Văn hóa - Xã hội đề nghị {unit} sớm hoàn thành báo cáo {period}.\n"
    "Hạn nộp: {deadline} ({when})."
)
WHEN_DAYS_LEFT = "còn {days} ngày làm việc"
WHEN_TODAY = "hôm nay là hạn cuối"
WHEN_OVERDUE = "đã quá hạn"
MISSING_TASKS = "Đơn vị còn {missing}/{total} nhiệm vụ chưa báo cáo: {codes}."
ALL_REPORTED_NOT_SUBMITTED = (
    "Đơn vị đã báo cáo đủ {total} nhiệm vụ nhưng chưa nộp báo cáo; xin gõ /nop để nộp."
)
REMINDER_CLOSING = "Đề nghị đồng chí hoàn thành và nộp báo cáo đúng hạn."
REPORT_NOW = "Báo cáo ngay"
SUBMIT_NOW = "Nộp báo cáo"

# --- Daily digest to admins -------------------------------------------------------------------
DIGEST = (
    "Kính gửi đồng chí {name},\n"
    "Tổng hợp ngày {today}: báo cáo {period} đã quá hạn ({deadline}).\n"
    "Còn {count}/{total} đơn vị chưa nộp báo cáo:"
)
DIGEST_LINE = "- {unit}: còn {missing}/{tasks} nhiệm vụ chưa báo cáo"
DIGEST_LINE_UNSUBMITTED = "- {unit}: đã báo cáo đủ nhiệm vụ, chưa nộp"
DIGEST_FOOTER = "Gõ /tonghop để xem tổng hợp; /khoaky để khóa kỳ và dừng nhắc."

# --- /lich ------------------------------------------------------------------------------------
SCHEDULE_HEADER = "Lịch báo cáo các kỳ đang mở:"
SCHEDULE_PERIOD = "• {period}: hạn nộp {deadline}"
SCHEDULE_REMINDERS = "  Nhắc hạn lúc {hour} các ngày: {days}"
SCHEDULE_DIGEST = "  Sau hạn: tổng hợp đơn vị chưa nộp lúc {hour} mỗi ngày làm việc từ {day}"
SCHEDULE_PAST = " (đã qua)"
SCHEDULE_NONE = "Hiện không có kỳ báo cáo nào đang mở."

# --- /nhacnho ---------------------------------------------------------------------------------
NUDGE_ASK_PERIOD = "Gửi nhắc nhở cho kỳ báo cáo nào?"
NUDGE_SENT = (
    "Đã xếp lịch gửi nhắc nhở kỳ {period} tới {people} tài khoản của {units} đơn vị "
    "chưa nộp báo cáo. Tin sẽ được gửi trong ít phút."
)
NUDGE_NOBODY_MISSING = "Tất cả các đơn vị đã nộp báo cáo kỳ {period}; không cần nhắc."
NUDGE_NO_RECIPIENT = (
    "Còn {units} đơn vị chưa nộp báo cáo kỳ {period} nhưng chưa có thủ trưởng đơn vị nào "
    "đăng ký nhận tin qua bot: {names}."
)
NUDGE_UNREACHABLE = "Chưa liên lạc được qua bot: {names}."

# --- /khoaky and /moky ------------------------------------------------------------------------
CLOSE_ASK_PERIOD = "Khóa kỳ báo cáo nào?"
CLOSE_CONFIRM = (
    "Khóa {period}? Sau khi khóa, đơn vị không nộp thêm được và bot dừng nhắc hạn, "
    "dừng gửi tổng hợp đơn vị chưa nộp."
)
CLOSE_YES = "Khóa kỳ"
ALREADY_CLOSED = "Kỳ {period} đã khóa từ trước."
REOPEN_ASK_PERIOD = "Mở lại kỳ báo cáo nào?"
NOT_CLOSED = "Kỳ {period} đang mở."
NO_CLOSED_PERIOD = "Không có kỳ báo cáo nào đã khóa."

# --- Command line -----------------------------------------------------------------------------
CLI_PERIOD = "{code} – {period}: hạn trước {due}, hạn nộp thực tế {deadline}{closed}"
CLI_CLOSED = " (đã khóa)"
CLI_SLOT = "  Nhắc D−{offset}: {weekday} {moment}{past}"
CLI_DIGEST = "  Tổng hợp sau hạn: từ {weekday} {moment}, mỗi ngày làm việc"
CLI_PAST = "  (đã qua)"
CLI_NO_PERIOD = "Không có kỳ báo cáo «{arg}». Xem: python -m bot periods"
CLI_BAD_DATE = "Lỗi: ngày «{arg}» không hợp lệ; viết theo dạng DD/MM/YYYY."
CLI_OVERRIDE_SAVED = "Đã lưu: {weekday} {day} là {kind}{note}."
CLI_OVERRIDE_REMOVED = "Đã bỏ điều chỉnh: {weekday} {day} theo lịch thường."
CLI_NO_OVERRIDE_ON = "Ngày {day} không có điều chỉnh nào; chưa thay đổi gì."
CLI_OFF = "ngày nghỉ"
CLI_WORK = "ngày làm việc"
CLI_NO_OVERRIDES = "Chưa có ngày điều chỉnh nào (chỉ dùng lịch nghỉ lễ, Tết theo quy định)."
CLI_OVERRIDE_LINE = "  {weekday} {day}: {kind}{note}"
# --- Job names (shown in the scheduler's logs) ----------------------------------------------
SWEEP_JOB_NAME = "nhắc hạn và tổng hợp"
DELIVERY_JOB_NAME = "gửi tin trong hàng đợi"
