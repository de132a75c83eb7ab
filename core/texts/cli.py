"""The command line's help and output (`python -m bot ...`)."""

DESCRIPTION = "Dân vận bot – báo cáo công tác dân vận chính quyền qua Zalo và Telegram."
COMMAND_METAVAR = "LỆNH"
# argparse's own words
USAGE_PREFIX = "Cách dùng: "
POSITIONALS_TITLE = "tham số"
OPTIONALS_TITLE = "tùy chọn"
HELP_HELP = "xem hướng dẫn này"
ARGUMENT_ERROR = "{prog}: lỗi: {message}"
# argparse's error messages, phrase by phrase (its values stay as typed)
ARGPARSE_PHRASES = (
    ("the following arguments are required:", "thiếu tham số:"),
    ("unrecognized arguments:", "không hiểu tham số:"),
    ("invalid choice:", "lựa chọn không hợp lệ:"),
    ("choose from", "chọn một trong"),
    ("invalid int value:", "không phải số nguyên:"),
    ("invalid float value:", "không phải số:"),
    ("expected one argument", "cần một giá trị"),
    ("not allowed with argument", "không dùng cùng tham số"),
    ("argument ", "tham số "),
)
ACTION_METAVAR = "THAO_TÁC"

# --- shell, run -----------------------------------------------------------------------------
SHELL_HELP = "trò chuyện với bot trong terminal (không cần token)"
SHELL_AS_HELP = "mã số người dùng, họ tên, hoặc mã mời để đăng ký"
SHELL_BANNER = ("Dân vận bot – kênh terminal. Gõ /trogiup để xem lệnh, Ctrl-D hoặc Ctrl-C "
                "để thoát.")
SHELL_GUEST_HINT = (
    "Đang dùng với tư cách khách (chưa đăng ký). Để thử với vai trò cụ thể:\n"
    "  python -m bot invite --role unit_head --unit VP --name \"Lê Thị Hoa\"\n"
    "  python -m bot shell --as MÃ_MỜI\n"
    "hoặc gửi ngay tại đây: /dangky MÃ_MỜI"
)
SHELL_UNKNOWN_PERSON = "Không tìm thấy người dùng «{who}». Xem: python -m bot people"
SHELL_AMBIGUOUS_PERSON = ("Có {count} người dùng tên «{who}»; xin dùng mã số, ví dụ: "
                          "python -m bot shell --as {first}")
SHELL_AMBIGUOUS_LINE = "  mã số {id}: {name} – {role}{where}"
RUN_HELP = "chạy bot (Zalo, Telegram, máy chủ HTTP, bộ hẹn giờ)"
START_FAILED = "Không khởi động được bot: {reason}"
WEBHOOK_NEEDS_PUBLIC_URL = (
    "{name}_MODE=webhook cần PUBLIC_BASE_URL (địa chỉ https công khai của máy chủ, nơi "
    "{name} gửi tin nhắn tới); đặt PUBLIC_BASE_URL, hoặc dùng {name}_MODE=polling."
)
NO_CHANNEL = (
    "Chưa cấu hình kênh nhắn tin nào: đặt TELEGRAM_BOT_TOKEN và/hoặc ZALO_BOT_TOKEN "
    "(xem .env.example).\nĐể thử bot không cần token: python -m bot shell"
)

# --- data: database, plan, roster, listings, invites ----------------------------------------
DB_HELP = "cơ sở dữ liệu"
PLAN_HELP = "kế hoạch: nhập từ tệp YAML"
ROSTER_HELP = "danh sách đơn vị, tổ dân phố: nhập (.xlsx, YAML), xuất"
UNITS_HELP = "liệt kê cơ quan, đơn vị và tổ dân phố"
PEOPLE_HELP = "liệt kê người dùng"
PERIODS_HELP = "liệt kê các kỳ báo cáo"
INVITE_HELP = "tạo mã mời dùng một lần"
INVITE_UNIT_HELP = "mã đơn vị (thủ trưởng đơn vị; tùy chọn cho quản trị)"
INVITE_GROUP_HELP = "mã tổ dân phố (tổ trưởng)"
INVITE_NAME_HELP = "họ và tên"
INVITE_PERSON_HELP = "mã số người đã có (liên kết thêm tài khoản)"
UPGRADED = "Cơ sở dữ liệu đã được nâng cấp lên phiên bản mới nhất."
IMPORT_FAILED = "Lỗi: {error}\nChưa nhập gì."
PLAN_IMPORTED = (
    "Đã nhập kế hoạch {number}: {sections} mục, {tasks} nhiệm vụ, {periods} kỳ báo cáo."
)
PLAN_UPDATED = (
    "Đã cập nhật kế hoạch {number}: {sections} mục, {tasks} nhiệm vụ, {periods} kỳ báo cáo."
)
ROSTER_IMPORTED = "Đã nhập {units} đơn vị, {groups} tổ dân phố, {people} người mới."
UNITS_HEADER = "Cơ quan, đơn vị:"
GROUPS_HEADER = "Tổ dân phố:"
NO_PEOPLE = "Chưa có người dùng. Tạo mã mời: python -m bot invite --role admin --name \"...\""
NOT_LINKED = "chưa liên kết"
PERIOD_LINE = "  {id:>3}  {code:<10} {title:<22} hạn trước {due:%d/%m/%Y}  {state}"
PERIOD_CLOSED = "đã khóa"
PERIOD_OPEN = "đang mở"
PERIOD_SCOPE = "        nhiệm vụ: {tasks}; đơn vị: {units}"
PERIOD_ALL = "tất cả"
HEAD_NEEDS_UNIT = "Lỗi: thủ trưởng đơn vị cần --unit MÃ_ĐƠN_VỊ (xem: python -m bot units)"
LEADER_NEEDS_GROUP = "Lỗi: tổ trưởng cần --group MÃ_TỔ (xem: python -m bot units)"
UNKNOWN_CODE = "Lỗi: không có mã {code}. Xem: python -m bot units"
INVITE_CREATED = (
    "Mã mời: {code}  (hiệu lực đến {expires}, dùng một lần)\n"
    "Đăng ký: gửi «/dangky {code}» cho bot trên Zalo hoặc Telegram,\n"
    "hoặc thử ngay trong terminal: python -m bot shell --as {code}"
)
INVITE_TELEGRAM_LINK = "Đường dẫn Telegram: {link}"

# --- schedule, calendar, period, export -----------------------------------------------------
SCHEDULE_HELP = "xem lịch nhắc hạn dự kiến của các kỳ báo cáo"
SCHEDULE_PERIOD_HELP = "mã kỳ (ví dụ NAM-2025); mặc định: mọi kỳ đang mở"
CALENDAR_HELP = "ngày nghỉ bổ sung, ngày làm bù (lịch làm việc)"
CALENDAR_ADD_HELP = "thêm hoặc sửa một ngày điều chỉnh"
CALENDAR_DAY_HELP = "ngày DD/MM/YYYY"
CALENDAR_OFF_HELP = "ngày nghỉ"
CALENDAR_WORK_HELP = "ngày làm việc (làm bù)"
CALENDAR_NOTE_HELP = "ghi chú, ví dụ số văn bản"
CALENDAR_LIST_HELP = "liệt kê các ngày điều chỉnh"
CALENDAR_REMOVE_HELP = "bỏ một ngày điều chỉnh (ngày đó theo lịch thường)"
PERIOD_HELP = "kỳ báo cáo: thêm, khóa, mở lại"
PERIOD_CODE_HELP = "mã kỳ, ví dụ 9T-2025"
EXPORT_PERIOD_HELP = "mã kỳ (ví dụ NAM-2025) hoặc số thứ tự (id)"
EXPORT_OUT_HELP = "tệp kết quả, ví dụ bao-cao-NAM-2025.docx"

# --- period, new-year -----------------------------------------------------------------------
PERIOD_ADD_HELP = "thêm các kỳ của một năm, hoặc một kỳ đột xuất"
PERIOD_YEAR_HELP = "năm: thêm kỳ 6 tháng, 9 tháng và năm"
PERIOD_KINDS_HELP = "các kỳ cần thêm (mặc định 6T,9T,NAM)"
NAME_METAVAR = "TÊN"
PERIOD_ADHOC_HELP = "tên kỳ báo cáo đột xuất"
PERIOD_DUE_HELP = "hạn nộp (trước ngày) của kỳ đột xuất"
PERIOD_TASKS_HELP = "kỳ đột xuất: mã các nhiệm vụ được hỏi, ví dụ 1.1,2.3 (mặc định: tất cả)"
PERIOD_UNITS_HELP = "kỳ đột xuất: mã các đơn vị phải báo cáo, ví dụ VP,VHXH (mặc định: tất cả)"
PERIOD_PLAN_HELP = "số hiệu kế hoạch; mặc định: kế hoạch mới nhất"
NEW_YEAR_HELP = "kế hoạch năm mới sao từ kế hoạch năm trước, kèm các kỳ"
NEW_YEAR_YEAR_HELP = "năm của kế hoạch mới, ví dụ 2026"
NEW_YEAR_NUMBER_HELP = "số hiệu mới, ví dụ 12/KH-UBND"
NEW_YEAR_DATE_HELP = "ngày ban hành"
NEW_YEAR_FROM_HELP = "số hiệu kế hoạch nguồn; mặc định: kế hoạch mới nhất"
YES_HELP = "tạo luôn, không hỏi lại"
PERIOD_CLOSE_HELP = "khóa một kỳ"
PERIOD_REOPEN_HELP = "mở lại một kỳ"

# --- broadcast ------------------------------------------------------------------------------
BROADCAST_HELP = "gửi hoặc hẹn giờ gửi thông báo từ tệp văn bản"
BROADCAST_FILE_HELP = "tệp UTF-8 chứa nội dung"
BROADCAST_AUDIENCE_HELP = ("all_groups | groups:TDP01,TDP02 | unit_heads | everyone; với --city: "
                           "city_admins | city_unit_heads | city_groups")
BROADCAST_CITY_HELP = "thông báo của thành phố tới các xã, phường (không cần --ward)"
BROADCAST_WARDS_HELP = (
    "với city_groups: mã các xã, phường, cách nhau bởi dấu phẩy (mặc định: tất cả)"
)
BROADCAST_AT_HELP = (
    'thời điểm gửi "dd/mm/yyyy hh:mm" hoặc "dd/mm/yyyy 8h" (giờ Việt Nam); bỏ trống: gửi ngay'
)
HOURS_METAVAR = "GIỜ"
BROADCAST_REMIND_HELP = (
    "tự nhắc một lần người chưa xác nhận sau số giờ làm việc này (0: không; "
    "mặc định: BROADCAST_REMIND_AFTER_HOURS)"
)

# --- backup, restore ------------------------------------------------------------------------
BACKUP_HELP = "sao lưu cơ sở dữ liệu (an toàn khi bot đang chạy)"
BACKUP_OUT_HELP = "tệp sao lưu sẽ ghi"
RESTORE_HELP = "khôi phục bản sao lưu (khi bot đã dừng)"
RESTORE_FILE_HELP = "tệp sao lưu"
RESTORE_FORCE_HELP = "ghi đè cơ sở dữ liệu đang có"

# --- roster, deactivation, bulk invites -----------------------------------------------------
ERROR = "Lỗi: {problem}"
ROSTER_IMPORT_HELP = "nhập từ tệp .xlsx hoặc YAML (xem trước rồi xác nhận)"
ROSTER_REPLACE_HELP = "ngừng sử dụng các đơn vị / tổ dân phố tệp không còn liệt kê"
ROSTER_YES_HELP = "nhập không cần hỏi"
ROSTER_EXPORT_HELP = "xuất danh sách ra tệp .xlsx"
KIND_UNIT = "cơ quan, đơn vị"
KIND_GROUP = "tổ dân phố"
KIND_PERSON = "người dùng"
UNIT_KEY_HELP = "mã đơn vị"
HANDOVER_NAME_HELP = "handover: họ và tên người phụ trách mới"
GROUP_KEY_HELP = "mã tổ dân phố"
PERSON_KEY_HELP = "số người dùng (python -m bot people)"
SET_ACTIVE_HELP = "ngừng sử dụng / dùng lại một {label}"
INVITE_ALL_HELP = "mã mời cho mọi người trong danh sách chưa đăng ký tài khoản"
INVITE_UNITS_HELP = "chỉ các đơn vị này (mã, cách nhau dấu phẩy)"
INVITE_GROUPS_HELP = "chỉ các tổ dân phố này (mã, cách nhau dấu phẩy)"
INVITE_OUT_HELP = "tệp .xlsx ghi các mã mời (với --all)"

# Answers that confirm a question asked at the terminal (folded: "có", "đồng ý").
YES_WORDS = ("c", "co", "y", "yes", "dong y")
