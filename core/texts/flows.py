"""Strings of the core conversations: registration, help, report, progress, submit, summary."""

# --- Registration and help ----------------------------------------------------------------
WELCOME_GUEST = (
    "Kính chào đồng chí. Đây là Dân vận bot của UBND phường: theo dõi, nhắc hạn và tổng hợp "
    "báo cáo công tác dân vận chính quyền (Kế hoạch 25/KH-UBND).\n\n"
    "Để bắt đầu, xin gửi: /dangky MÃ với mã mời do Phòng Văn hóa - Xã hội cấp."
)
WELCOME_BACK = "Kính chào đồng chí {name}."
ALREADY_REGISTERED = "Tài khoản này đã đăng ký (đồng chí {name}). Gõ /trogiup để xem các lệnh."
ASK_CODE = "Xin gửi mã mời gồm 10 ký tự do Phòng Văn hóa - Xã hội cấp (hoặc /huy để thôi)."
TOO_MANY_ATTEMPTS = (
    "Đồng chí đã nhập sai mã quá nhiều lần. Vì an toàn, xin thử lại sau 1 giờ "
    "hoặc liên hệ Phòng Văn hóa - Xã hội để được cấp mã mới."
)
CODE_PROBLEMS = {
    "unknown": "Mã mời không đúng. Xin kiểm tra lại (mã gồm 10 chữ và số, không có chữ O, I, L "
               "và số 0, 1).",
    "used": "Mã mời này đã được sử dụng. Mỗi mã chỉ dùng một lần; xin liên hệ Phòng Văn hóa - "
            "Xã hội để được cấp mã mới.",
    "expired": "Mã mời đã hết hạn. Xin liên hệ Phòng Văn hóa - Xã hội để được cấp mã mới.",
    "ward_inactive": ("Mã mời này thuộc một xã, phường đã ngừng hoạt động trên hệ thống. Xin "
                      "liên hệ cán bộ quản trị để được hướng dẫn."),
}
REGISTERED = "Đăng ký thành công. Kính chào đồng chí {name}, {role}."
HELP_GUEST = (
    "Tài khoản này chưa đăng ký. Xin gửi /dangky MÃ với mã mời do Phòng Văn hóa - Xã hội cấp.\n"
    "Lệnh: /dangky MÃ – đăng ký; /trogiup – hướng dẫn."
)
HELP_HEADER = "Đồng chí {name} – {role}. Các lệnh:"
HELP_UNIT_HEAD = (
    "/baocao – báo cáo kết quả thực hiện từng nhiệm vụ\n"
    "/tiendo – xem tiến độ báo cáo của đơn vị\n"
    "/nop – nộp báo cáo của đơn vị cho kỳ báo cáo\n"
    "/lich – hạn nộp và lịch nhắc\n"
    "/web – đường dẫn đăng nhập trang quản trị (xem báo cáo của đơn vị)"
)
HELP_ADMIN = (
    "/tonghop – tổng hợp báo cáo các đơn vị (hoặc /summary)\n"
    "/xuat – xuất báo cáo tổng hợp (DOCX để ký, XLSX)\n"
    "/soanbaocao – soạn các phần đánh giá, nơi nhận, người ký của báo cáo\n"
    "/tiendo – tiến độ các đơn vị; /lich – hạn nộp, lịch nhắc\n"
    "/nhacnho – nhắc ngay các đơn vị chưa nộp\n"
    "/kybaocao – thêm kỳ báo cáo trong năm, kỳ đột xuất; khóa, mở lại kỳ\n"
    "/khoaky, /moky – khóa hoặc mở lại kỳ báo cáo\n"
    "/thongbao – soạn, gửi thông báo tới tổ trưởng, thủ trưởng đơn vị\n"
    "/tinhtrang – tình hình gửi, xác nhận thông báo; /lichgui – thông báo đang hẹn giờ\n"
    "/guilai – gửi lại thông báo cho những người chưa xác nhận\n"
    "/moi – tạo mã mời người dùng\n"
    "/danhsach – ngừng sử dụng, dùng lại đơn vị, tổ, người; bàn giao đơn vị; mã mời hàng loạt\n"
    "/nhapkehoach – nhập kế hoạch từ văn bản Word (.docx) gửi cho bot\n"
    "/web – đường dẫn đăng nhập trang quản trị trên máy tính"
)
HELP_GROUP_LEADER = (
    "Đồng chí sẽ nhận thông báo tuyên truyền của UBND phường qua bot này; "
    "khi nhận, xin bấm «Đã nhận» (trên Zalo: trả lời 1)."
)
HELP_FOOTER_GROUP_LEADER = "/trogiup – hướng dẫn."
# A command the reader can use, as the footer's example of typing one without "/".
HELP_EXAMPLE_REPORT = "bao cao"
HELP_EXAMPLE_SUMMARY = "tong hop"
HELP_EXAMPLE_CITY = "thanh pho"
HELP_FOOTER = (
    "/huy – hủy thao tác đang dở; /trogiup – hướng dẫn.\n"
    "Có thể gõ lệnh không dấu, không cần dấu «/» (ví dụ: {example}); trả lời menu bằng số."
)

# --- Invites --------------------------------------------------------------------------------
INVITE_ASK_ROLE = "Tạo mã mời cho vai trò nào?"
INVITE_ASK_UNIT = "Người được mời là thủ trưởng của cơ quan, đơn vị nào?"
INVITE_ASK_GROUP = "Người được mời là tổ trưởng của tổ dân phố nào?"
CODE_AND_NAME = "{code} – {name}"
INVITE_ASK_NAME = "Họ và tên người được mời (hoặc chọn «Bỏ qua» để lấy tên tài khoản nhắn tin):"
INVITE_BAD_NAME = (
    "Họ tên không hợp lệ (cần chữ, tối đa 120 ký tự). Xin nhập lại hoặc chọn «Bỏ "
    "qua»."
)
INVITE_CREATED = (
    "Đã tạo mã mời: {code}\nHiệu lực đến {expires}, dùng một lần.\n"
    "Người được mời gửi cho bot (Zalo hoặc Telegram): /dangky {code}"
)
INVITE_TELEGRAM_LINK = "Hoặc mở đường dẫn Telegram: {link}"

# --- Periods --------------------------------------------------------------------------------
NO_OPEN_PERIOD = "Hiện chưa có kỳ báo cáo nào đang mở."
UNKNOWN_PERIOD = "Không tìm thấy kỳ báo cáo «{arg}»."
PERIOD_CLOSED = "Kỳ báo cáo {period} đã khóa; không nộp thêm được."
DEADLINE = "Hạn nộp: {deadline}."
ON_TIME = "đúng hạn"
LATE = "nộp muộn"

# --- Report ---------------------------------------------------------------------------------
REPORT_ASK_PERIOD = "Đồng chí báo cáo cho kỳ nào?"
REPORT_SECTIONS = "Báo cáo {period}: đơn vị đã báo cáo {done}/{total} nhiệm vụ. Chọn mục:"
REPORT_NO_TASKS = (
    "Báo cáo {period}: kế hoạch không giao nhiệm vụ nào cho đơn vị, nên không có gì để báo cáo."
)
REPORT_TASKS = "Mục {code}. {title}\nChọn nhiệm vụ:"
MARKS_LEGEND = (
    "(✅ hoàn thành, 🔄 đang triển khai, ⏳ chưa triển khai, ➖ không phát sinh, ▫️ chưa báo "
    "cáo)"
)
REPORT_TASK_DETAIL = "Nhiệm vụ {code}: {text}"
REPORT_CURRENT = (
    "Đơn vị đã báo cáo (lần {version}):\n{summary}\nNếu tiếp tục, báo cáo mới sẽ thay thế "
    "(bản cũ vẫn được lưu)."
)
REPORT_ASK_STATUS = "Tình trạng thực hiện:"
REPORT_ASK_RESULT = "Kết quả thực hiện (nêu việc đã làm, số liệu):"
REPORT_RESULT_REQUIRED = "Xin nhập nội dung kết quả thực hiện bằng chữ (bắt buộc)."
REPORT_ASK_DIFFICULTIES = "Khó khăn, vướng mắc (nếu có), hoặc chọn «Bỏ qua»:"
REPORT_ASK_PROPOSALS = "Đề xuất, kiến nghị (nếu có), hoặc chọn «Bỏ qua»:"
REPORT_ASK_EVIDENCE = ("Gửi ảnh, tệp minh chứng hoặc gõ số hiệu văn bản, đường dẫn (nếu có); "
                       "hoặc chọn «Bỏ qua»:")
REPORT_TEXT_OR_SKIP = "Xin nhập nội dung bằng chữ hoặc chọn «Bỏ qua»."
REPORT_EVIDENCE_RECEIVED = "Đã nhận {count} tệp minh chứng."
REPORT_EVIDENCE_WAITING = ("Đang chờ minh chứng: ảnh, tệp, số hiệu văn bản hoặc đường dẫn; "
                           "nếu không có, chọn «Bỏ qua».")
REPORT_EVIDENCE_TEXT_RECEIVED = "Đã ghi minh chứng."
REPORT_CONFIRM_HEADER = "Xin kiểm tra lại báo cáo nhiệm vụ {code} trước khi lưu:"
REPORT_SAVED = (
    "Đã lưu báo cáo nhiệm vụ {code} (phiên bản {version}). Đơn vị đã báo cáo {done}/{total} "
    "nhiệm vụ."
)
REPORT_REDO = ("Sửa lại báo cáo nhiệm vụ {code}: lần lượt từng bước, nội dung vừa nhập được giữ "
               "nếu chọn «Giữ nội dung cũ».\nTình trạng đang chọn: {status}.")
UNSAVED_REPORT = "{parts} của báo cáo nhiệm vụ {code}"
UNSAVED_RESULT = "kết quả"
UNSAVED_DIFFICULTIES = "khó khăn"
UNSAVED_PROPOSALS = "đề xuất"
UNSAVED_EVIDENCE = "minh chứng"
REPORT_KEPT = "Nội dung vừa nhập: {text}"
REPORT_EVIDENCE_KEPT = "Đã có {count} minh chứng."
REPORT_CANCELLED = ("Đã hủy; báo cáo nhiệm vụ {code} không được lưu. Gõ /baocao để báo cáo "
                    "lại hoặc chọn bên dưới.")
REPORT_RESUBMIT_HINT = "Đơn vị đã nộp báo cáo kỳ này; sau khi sửa, xin /nop lại để cập nhật."
REPORT_DIFFICULTIES_LINE = "Khó khăn: {text}"
REPORT_PROPOSALS_LINE = "Đề xuất: {text}"
REPORT_EVIDENCE_LINE = "Minh chứng: {count} tệp"
REPORT_EVIDENCE_TEXT_LINE = "Minh chứng: {text}"
REPORT_STATUS_LINE = "Tình trạng: {status}"
REPORT_RESULT_LINE = "Kết quả: {result}"

# --- Progress and submit --------------------------------------------------------------------
PROGRESS_HEADER = "Tiến độ báo cáo {period} – {unit}"
PROGRESS_COUNT = "Đã báo cáo {done}/{total} nhiệm vụ."
PROGRESS_MISSING = "Còn thiếu:"
TASKS_NOUN = "nhiệm vụ"
UNITS_NOUN = "đơn vị"
NOT_SUBMITTED_YET = "Trạng thái: chưa nộp báo cáo."
NOT_SUBMITTED_SHORT = "chưa nộp"
SUBMITTED_AT = "Trạng thái: đã nộp lúc {when} ({punctuality})."
CHANGED_AFTER_SUBMIT = "Có nội dung sửa sau lần nộp gần nhất; xin /nop lại để cập nhật."
OVERVIEW_HEADER = "Tiến độ các đơn vị – {period}:"
SUBMIT_ASK_PERIOD = "Nộp báo cáo cho kỳ nào?"
SUBMIT_REFUSED = "Chưa nộp được: đơn vị còn {count}/{total} nhiệm vụ chưa báo cáo:"
SUBMIT_CONFIRM = "Xác nhận nộp báo cáo {period} của đơn vị? Hạn nộp: {deadline}."
SUBMIT_WILL_BE_LATE = "Lưu ý: đã quá hạn, báo cáo sẽ được ghi nhận là nộp muộn."
SUBMITTED = "Đã nộp báo cáo {period} ({punctuality}). Cảm ơn đồng chí."
RESUBMITTED = "Đây là lần nộp thứ {count}; bản cập nhật đã được ghi nhận."

# --- Summary --------------------------------------------------------------------------------
SUMMARY_ASK_PERIOD = "Tổng hợp báo cáo kỳ nào?"
SUMMARY_HEADER = "TỔNG HỢP BÁO CÁO {period}\nKế hoạch {plan}. Hạn nộp: {deadline}."
SUMMARY_UNITS = "Tình hình nộp báo cáo ({total} cơ quan, đơn vị):"
SUMMARY_COUNTS = "Số đơn vị theo tình trạng, từng nhiệm vụ:"
SUMMARY_DIFFICULTIES = "HẠN CHẾ, KHÓ KHĂN:"
SUMMARY_PROPOSALS = "ĐỀ XUẤT, KIẾN NGHỊ:"
SUMMARY_NONE = "- Không có."
