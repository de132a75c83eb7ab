"""Strings of broadcasts: composing (/thongbao), delivery, acknowledgement and /tinhtrang."""

# --- What recipients see ---------------------------------------------------------------------
MESSAGE_HEADER = "📢 THÔNG BÁO CỦA UBND {ward}"
CITY_MESSAGE_HEADER = "📢 THÔNG BÁO CỦA {city}"  # CITY_NAME in full: "UBND THÀNH PHỐ HẢI PHÒNG"
ACK_LABEL = "Đã nhận"
ACK_HINT_BUTTON = "Đề nghị đồng chí bấm nút «Đã nhận» để xác nhận đã nhận thông báo."
ACK_HINT_TYPED = "Đề nghị đồng chí trả lời 1 hoặc «đã nhận» để xác nhận đã nhận thông báo."
RESEND_PREFIX = "(Nhắc lại) "

# --- Compose --------------------------------------------------------------------------------
ASK_TEXT = (
    "Soạn thông báo gửi tổ trưởng tổ dân phố và các đơn vị.\n"
    "Xin gửi nội dung thông báo (tối đa {limit} ký tự); có thể kèm một ảnh hoặc một tệp. "
    "Gõ /huy để thôi."
)
EMPTY_TEXT = "Nội dung thông báo không được để trống. Xin gửi nội dung bằng chữ."
TEXT_TOO_LONG = (
    "Nội dung thông báo dài {length} ký tự, vượt giới hạn {limit} ký tự của một tin nhắn. "
    "Xin rút gọn hoặc chia thành nhiều thông báo."
)
FILE_KEPT = "Đã nhận tệp «{name}». Xin gửi tiếp nội dung thông báo bằng chữ."
ONE_FILE_ONLY = "Mỗi thông báo chỉ kèm được một ảnh hoặc một tệp; bot giữ tệp đầu tiên."
ASK_AUDIENCE = "Gửi thông báo tới ai?"
AUDIENCE_LABELS = {
    "all_groups": "Tất cả tổ trưởng tổ dân phố",
    "groups": "Tổ trưởng một số tổ dân phố",
    "unit_heads": "Tất cả thủ trưởng cơ quan, đơn vị",
    "everyone": "Tất cả người dùng",
}
AUDIENCE_GROUPS_NAMED = "Tổ trưởng các tổ: {names}"

# --- The city's broadcasts (issue 19) ---------------------------------------------------------
CITY_ASK_TEXT = (
    "Soạn thông báo của thành phố gửi các xã, phường.\n"
    "Xin gửi nội dung thông báo (tối đa {limit} ký tự); có thể kèm một ảnh hoặc một tệp. "
    "Gõ /huy để thôi."
)
CITY_AUDIENCE_LABELS = {
    "city_admins": "Cán bộ quản trị của tất cả xã, phường",
    "city_unit_heads": "Thủ trưởng cơ quan, đơn vị của tất cả xã, phường",
    "city_groups": "Tổ trưởng tổ dân phố của các xã, phường được chọn",
}
CITY_GROUPS_ALL = "Tổ trưởng tổ dân phố của tất cả xã, phường"
CITY_GROUPS_NAMED = "Tổ trưởng tổ dân phố của: {names}"
ASK_WARDS = (
    "Gửi tới tổ trưởng của xã, phường nào? Xin gõ số thứ tự hoặc mã, cách nhau bởi dấu phẩy "
    "(ví dụ: 1, 3, DOSON), hoặc gõ «tất cả»:\n{wards}"
)
ALL_WORDS = ("tat ca", "tatca", "all", "ca thanh pho")
UNKNOWN_WARDS = "Không tìm thấy xã, phường đang hoạt động: {items}. Các mã: {codes}."
NO_ACTIVE_WARDS = "Chưa có xã, phường nào đang hoạt động để gửi thông báo."
CITY_AUDIENCE_ONLY = (
    "Chỉ cán bộ cấp thành phố mới gửi được thông báo tới «{audience}». "
    "Đồng chí chỉ gửi được tới người của xã, phường mình; không có gì thay đổi."
)
WARD_AUDIENCE_ONLY = (
    "Thông báo của thành phố chỉ gửi tới: cán bộ quản trị, thủ trưởng đơn vị hoặc tổ trưởng "
    "tổ dân phố của các xã, phường; không gửi được tới «{audience}»."
)
CITY_PREVIEW_HEADER = (
    "XEM TRƯỚC – thông báo số {id} của thành phố sẽ gửi tới {people} người ở {wards} xã, "
    "phường ({audience}); {unreachable} người chưa đăng ký kênh nhắn tin nào{names}.\n"
    "Zalo: {zalo} tin nhắn{remaining}. Người nhận sẽ thấy như sau:"
)
CITY_UNREACHABLE_NAMES = ": {names}"
CITY_UNREACHABLE_MORE = " và {count} người khác"
CITY_ZALO_REMAINING = " (hạn mức tháng này còn {remaining} tin)"
CITY_WARDS_UNREACHED = ("⚠️ Chưa có ai đăng ký nhận tin qua bot ở: {names}. Các xã, phường này "
                        "sẽ không nhận được thông báo.")
GROUPS_UNREACHED = ("⚠️ Chưa có tổ trưởng đăng ký nhận tin qua bot ở: {names}. Các tổ này sẽ "
                    "không nhận được thông báo; mời tổ trưởng bằng /moi.")
PREVIEW_OPTIONS = "(Dưới tin nhắn, người nhận có lựa chọn {labels}.)"
ASK_GROUPS = (
    "Xin gõ số thứ tự hoặc mã các tổ dân phố, cách nhau bởi dấu phẩy (ví dụ: 1, 3, TDP05):"
    "\n{groups}"
)
UNKNOWN_GROUPS = "Không tìm thấy tổ dân phố: {items}."
TYPE_AGAIN = "Xin gõ lại."
NOBODY_REACHABLE = (
    "Chưa có người nhận nào đã đăng ký bot trong đối tượng «{audience}» nên chưa gửi được."
)
NOBODY_REGISTERED = NOBODY_REACHABLE + " Xin chọn đối tượng khác hoặc gõ /huy."
PREVIEW_HEADER = (
    "XEM TRƯỚC – thông báo số {id} sẽ gửi tới {people} người ({audience}); "
    "{unreachable} người chưa đăng ký kênh nhắn tin nào. Người nhận sẽ thấy như sau:"
)
PREVIEW_ZALO_PARTS = "Trên Zalo, nội dung dài nên được chia thành {parts} tin nhắn có đánh số."
ASK_WHEN = "Gửi khi nào?"
WHEN_NOW = "Gửi ngay"
WHEN_AT = "Hẹn ngày giờ gửi"
WHEN_REPEAT = "Gửi lặp lại"
WHEN_CANCEL = "Hủy thông báo"
ASK_AT = ("Xin nhập ngày giờ gửi theo dạng dd/mm/yyyy hh:mm (giờ Việt Nam), ví dụ {example} "
          "(giờ cũng có thể viết 8h, 8h30).")
BAD_DATETIME = "Ngày giờ «{text}» không đúng dạng dd/mm/yyyy hh:mm. Xin nhập lại."
PAST_DATETIME = "Thời điểm {when} đã qua. Xin nhập một thời điểm trong tương lai."
ASK_REPEAT = "Lặp lại theo chu kỳ nào?"
REPEAT_WEEKLY = "Hằng tuần"
REPEAT_MONTHLY = "Hằng tháng"
ASK_WEEKDAY = "Gửi vào thứ mấy hằng tuần?"
ASK_MONTHDAY = (
    "Gửi vào ngày nào hằng tháng? Xin gõ một số từ 1 đến 31 "
    "(tháng không có ngày đó thì gửi vào ngày cuối tháng)."
)
BAD_MONTHDAY = "Ngày trong tháng phải là một số từ 1 đến 31. Xin gõ lại."
ASK_TIME = "Gửi lúc mấy giờ? Xin gõ dạng hh:mm, ví dụ 07:30."
BAD_TIME = "Giờ «{text}» không đúng dạng hh:mm. Xin gõ lại."
ASK_UNTIL = "Lặp lại đến hết ngày nào? Xin gõ dạng dd/mm/yyyy."
BAD_DATE = "Ngày «{text}» không đúng dạng dd/mm/yyyy. Xin gõ lại."
UNTIL_NO_RUN = "Từ nay đến {until} không có lần gửi nào theo lịch đã chọn. Xin gõ ngày khác."
CONFIRM_NOW = "Xác nhận gửi ngay thông báo số {id} tới {people} người ({messages} tin nhắn)?"
CONFIRM_AT = "Xác nhận hẹn gửi thông báo số {id} lúc {when} tới {people} người?"
CONFIRM_REPEAT = (
    "Xác nhận gửi thông báo số {id} {rule} lúc {time}, đến hết {until}; lần đầu: {first}, "
    "tới {people} người?"
)
RULE_WEEKLY = "vào {weekday} hằng tuần"
RULE_MONTHLY = "vào ngày {day} hằng tháng"
CONFIRM_YES = "Xác nhận"
CONFIRM_NO = "Hủy"
QUEUED = (
    "Đã đưa thông báo số {id} vào hàng gửi: {messages} tin nhắn tới {people} người. "
    "Bot sẽ báo tiến độ và kết quả. Xem tình hình: /tinhtrang {id}"
)
SCHEDULED = "Đã hẹn gửi thông báo số {id} lúc {when}. Xem danh sách: /lichgui"
DRAFT_DROPPED = "Đã hủy bản nháp thông báo; không gửi gì."
QUOTA_REFUSED = (
    "Không gửi được: thông báo cần {needed} tin nhắn Zalo nhưng hạn mức Zalo tháng này chỉ còn "
    "{remaining} tin. Xin rút gọn nội dung, thu hẹp đối tượng hoặc chờ sang tháng."
)

# --- List, edit, cancel ---------------------------------------------------------------------
SCHEDULED_NONE = "Không có thông báo nào đang hẹn giờ."
SCHEDULED_HEADER = "Thông báo đang hẹn giờ:"
SCHEDULED_LINE = "Số {id} – lần tới {when}{rule} – {audience}: {preview}"
EDIT_LABEL = "Sửa thông báo số {id}"
CANCEL_LABEL = "Hủy thông báo số {id}"
NOT_FOUND = "Không có thông báo số {id}."
NOT_EDITABLE = "Thông báo số {id} không còn chờ gửi nên không sửa hoặc hủy được."
ASK_NEW_TEXT = (
    "Nội dung hiện tại của thông báo số {id}:\n{text}\n\nXin gửi nội dung mới (hoặc /huy):"
)
EDITED = "Đã sửa nội dung thông báo số {id}; lần gửi tới: {when}."
CANCELLED_ONE = "Đã hủy thông báo số {id}; sẽ không gửi nữa."

# --- Acknowledgement ------------------------------------------------------------------------
ACK_THANKS = "Cảm ơn đồng chí đã xác nhận thông báo số {id}."
ACK_ALREADY = "Đồng chí đã xác nhận thông báo số {id} trước đó. Cảm ơn đồng chí."
ACK_FORGED = "Đồng chí không có trong danh sách nhận thông báo số {id} nên không xác nhận được."
ACK_NOTHING = "Đồng chí không có thông báo nào đang chờ xác nhận."

# --- Progress and reports to the sender -----------------------------------------------------
PROGRESS = "Thông báo số {id}: đã gửi {sent}/{total} tin nhắn."
FINAL_REPORT = (
    "Kết quả gửi thông báo số {id} (lần {run}) tới {people} người:\n"
    "- Đã gửi: {sent}\n- Gửi lỗi: {failed}\n- Đã chặn bot: {blocked}\n"
    "- Chưa đăng ký kênh nhắn tin nào: {unreachable}\n"
    "Xem ai chưa xác nhận: /tinhtrang {id}"
)
RUN_QUOTA_REFUSED = "Lần gửi theo lịch của thông báo số {id} bị bỏ qua. " + QUOTA_REFUSED
RUN_NOBODY = "Lần gửi theo lịch của thông báo số {id} bị bỏ qua: chưa có người nhận nào đăng ký."

# --- /tinhtrang -------------------------------------------------------------------------------
STATUS_NONE = "Chưa có thông báo nào được gửi."
STATUS_HEADER = "Các thông báo gần đây (đã gửi / đã xác nhận / lỗi trên số người nhận):"
STATUS_LINE = "Số {id}, {when} – {preview}: {delivered}/{acked}/{failed} trên {people}"
STATUS_LABEL = "Chi tiết thông báo số {id}"
DETAIL_HEADER = "Thông báo số {id} (lần {run}, {when}): {preview}"
DETAIL_COUNTS = (
    "Người nhận: {people}; đã gửi tới: {delivered}; đã xác nhận: {acked}; "
    "đang gửi: {pending}; lỗi: {failed}; chặn bot: {blocked}; chưa đăng ký kênh: {unreachable}."
)
DETAIL_WAITING = "Chưa xác nhận ({count}):"
DETAIL_ALL_ACKED = "Tất cả người nhận đã xác nhận."
DETAIL_QUEUED = (
    "Đang chờ gửi ({count}) – tin nhắn nằm trong hàng đợi, bot gửi đi khi đang chạy:"
)
DETAIL_FAILED = "Gửi không được sau nhiều lần thử ({count}):"
DETAIL_BLOCKED = "Đã chặn bot hoặc rời cuộc trò chuyện ({count}):"
DETAIL_UNREACHABLE = "Chưa đăng ký nhận tin qua bot ({count}):"
RESEND_LABEL = "Gửi lại cho người chưa xác nhận"
RESEND_ASK = "Gửi lại thông báo nào cho những người chưa xác nhận? (hoặc gõ /guilai SỐ)"
RESEND_PICK = "Thông báo số {id}: {preview}"
RESEND_NONE = "Chưa có thông báo nào đã gửi để gửi lại."
RESENT = "Đã gửi lại thông báo số {id} cho {people} người chưa xác nhận ({messages} tin nhắn)."
RESEND_NOBODY = "Không còn ai chưa xác nhận thông báo số {id} có thể gửi lại."
NOT_SENT_YET = "Thông báo số {id} chưa được gửi lần nào."

WEEKDAY_OPTIONS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# --- CLI ------------------------------------------------------------------------------------
CLI_FILE_MISSING = "Lỗi: không đọc được tệp {file}."
CLI_BAD_AUDIENCE = (
    "Lỗi: --audience phải là all_groups, unit_heads, everyone hoặc groups:MÃ1,MÃ2 "
    "(xem mã: python -m bot units)."
)
CLI_CITY_ONLY_AUDIENCE = (
    "Lỗi: với --city, --audience phải là city_admins, city_unit_heads hoặc city_groups "
    "(--wards MÃ1,MÃ2 chọn xã, phường; bỏ trống: tất cả)."
)
CLI_NEEDS_CITY = "Lỗi: --audience {audience} là thông báo của thành phố: thêm --city."
CLI_WARDS_ONLY_GROUPS = "Lỗi: --wards chỉ dùng với --city --audience city_groups."
CLI_QUEUED = "Đã đưa thông báo số {id} vào hàng gửi: {messages} tin nhắn tới {people} người."
CLI_SCHEDULED = "Đã hẹn gửi thông báo số {id} lúc {when} tới {people} người."
# The CLI only writes the outbox: the running bot sends it.
CLI_NEEDS_RUN = ("Lưu ý: lệnh này chỉ xếp tin vào hàng đợi; tin nhắn chỉ được gửi đi khi bot "
                 "đang chạy (python -m bot run).")
