"""Vietnamese strings of the plan import: reading an official plan (.docx, .txt), its preview,
the refusals and the `plan import` command."""

from __future__ import annotations

# --- Places in a document -----------------------------------------------------------------------
PLACE_PARAGRAPH = "đoạn {n}"
PLACE_LINE = "dòng {n}"
PLACES_BETWEEN = "{first} và {second}"

# --- Refusals (reason; the caller adds the file and the place) ----------------------------------
REFUSED = "Lỗi: {file}: {where}{reason}\nChưa nhập gì."
REFUSED_AT = "{place}: "
TOO_LARGE = "tệp nặng {size} MB, quá giới hạn {limit} MB nên không đọc"
UNKNOWN_FORMAT = "chỉ nhận tệp .yaml, .yml, .docx hoặc .txt"
CANNOT_OPEN = "không mở được tệp ({detail})"
NOT_DOCX = "không phải tệp Word .docx đọc được"
NOT_TEXT = "tệp văn bản không ở mã UTF-8"
EMPTY = "tệp không có nội dung"
NOT_A_PLAN = "không phải văn bản kế hoạch: không thấy {missing}"
MISSING_NUMBER = "số văn bản («Số: …/KH-…»)"
MISSING_DATE = "ngày ban hành («…, ngày … tháng … năm …»)"
MISSING_TYPE = "tên loại văn bản «KẾ HOẠCH»"
MISSING_TITLE = "trích yếu (tên kế hoạch) sau dòng «KẾ HOẠCH»"
MISSING_ISSUER = "cơ quan ban hành ở đầu văn bản"
MISSING_CONTENT = "phần «NỘI DUNG» (hoặc «NHIỆM VỤ») đánh số La Mã"
MISSING_SIGNER = "người ký ở cuối văn bản"
NO_TASKS = "không có nhiệm vụ nào được đánh số (1.1, 1.2, … hoặc a), b), …) trong phần «{part}»"
DUPLICATE_TASK = "mã nhiệm vụ {code} bị trùng ({places})"
DUPLICATE_SECTION = "mục {code} bị trùng ({places})"
TASK_OUTSIDE_SECTION = "nhiệm vụ {code} nằm ngoài mục nào (chưa có dòng «{section}. …» trước nó)"
TASK_IN_WRONG_SECTION = "nhiệm vụ {code} nằm trong mục {section}"
EMPTY_TASK = "nhiệm vụ {code} không có nội dung"
BAD_DATE = "ngày ban hành không hợp lệ: {text}"

# --- Notes: what the reader could not use --------------------------------------------------------
NOTE_SECTION_WITHOUT_TASKS = "{place}: mục {code} không có nhiệm vụ đánh số"
NOTE_ROUND_PAST = (
    "{place}: kỳ {kind} (hạn trước {due}) đã qua ngày ban hành kế hoạch nên không tạo kỳ báo cáo"
)
NOTE_NO_ROUNDS = "không thấy yêu cầu báo cáo định kỳ («… tháng trước ngày …»): chưa có kỳ báo cáo"
NOTE_UNIT_UNMATCHED = "{place}: «{name}» không khớp đơn vị nào trong danh sách đơn vị"
NOTE_AUTO_NUMBER = "đoạn dùng số tự động của Word: số thứ tự không đọc được, gõ số vào văn bản"
NOTE_NO_RECIPIENTS = "không thấy «Nơi nhận»"
NOTE_TITLES = (
    "tên ngắn của nhiệm vụ lấy từ đầu nội dung (văn bản không có tên ngắn); "
    "nhiệm vụ đã có trong hệ thống với cùng nội dung giữ tên ngắn cũ"
)

# --- Preview ------------------------------------------------------------------------------------
PREVIEW_HEAD = "Kế hoạch số {number} ngày {date} của {issuer}"
PREVIEW_TITLE = "{doc_type}: {title}"
PREVIEW_SIGNER = "Người ký: {name} ({authority})"
PREVIEW_RECIPIENTS = "Nơi nhận: {names}"
PREVIEW_COUNTS = "{sections} mục, {tasks} nhiệm vụ"
PREVIEW_SECTION = "Mục {code}. {title}"
PREVIEW_TASK = "  {code}. {words}"
PREVIEW_ROUNDS = "Kỳ báo cáo:"
PREVIEW_ROUND = "  {code}: {title}, hạn trước {due}"
PREVIEW_NO_ROUNDS = "Kỳ báo cáo: chưa có"
PREVIEW_UNITS = (
    "Tổ chức thực hiện (đơn vị có mã [..] được lưu thành phân công chủ trì / phối hợp của "
    "nhiệm vụ khi nhập; nhiệm vụ không nêu đơn vị giữ phân công cũ):"
)
PREVIEW_UNIT = "  {name}{code}{role}"
PREVIEW_UNIT_CODE = " [{code}]"
PREVIEW_UNIT_LEAD = " — chủ trì"
PREVIEW_UNIT_TASKS = " — nhiệm vụ {codes}"
PREVIEW_TASK_UNITS = "  nhiệm vụ {code}: chủ trì {lead}; phối hợp {join}"
PREVIEW_NONE = "—"
PREVIEW_NOTES = "Chưa đọc được / cần lưu ý:"
PREVIEW_NOTE = "  - {note}"
PREVIEW_EXISTS = "Kế hoạch {number} đã có: nhập lại sẽ cập nhật theo tệp này."

# --- CLI ----------------------------------------------------------------------------------------
CLI_HELP = "kế hoạch: nhập từ tệp YAML, văn bản Word (.docx) hoặc văn bản thuần (.txt)"
CLI_FILE_HELP = "tệp kế hoạch: .yaml, .yml, .docx hoặc .txt"
CLI_YES_HELP = "nhập ngay, không hỏi xác nhận (tệp .docx, .txt)"
CONFIRM = "Nhập kế hoạch này? (c/k) "
DECLINED = "Chưa nhập gì."
IMPORTED = "Đã nhập kế hoạch {number}: {sections} mục, {tasks} nhiệm vụ, {periods} kỳ báo cáo."
UPDATED = "Đã cập nhật kế hoạch {number}: {sections} mục, {tasks} nhiệm vụ, {periods} kỳ báo cáo."

# --- Chat: /nhapkehoach (admins, a channel that takes documents: Telegram) ---------------------
CHAT_ASK_FILE = (
    "Xin gửi tệp kế hoạch (văn bản Word .docx theo thể thức Nghị định 30, hoặc .txt), tối đa "
    "{limit} MB. Bot đọc tệp và cho xem trước; chưa lưu gì khi đồng chí chưa xác nhận."
)
CHAT_NEED_FILE = "Xin gửi tệp kế hoạch (.docx hoặc .txt) dưới dạng tệp đính kèm, hoặc gõ /huy."
CHAT_NO_DOCUMENTS = (
    "Kênh này không gửi được tệp văn bản cho bot. Xin nhập kế hoạch trên bàn làm việc web "
    "(/web) hoặc bằng lệnh: python -m bot plan import TỆP.docx"
)
CHAT_ONLY_DOCUMENTS = "chỉ nhận văn bản Word .docx hoặc tệp văn bản .txt"
CHAT_WRONG_TYPE = (
    "Tệp {name}: chỉ nhận văn bản Word .docx hoặc tệp văn bản .txt; bot không tải tệp này về. "
    "Xin gửi tệp kế hoạch, hoặc gõ /huy."
)
CHAT_TOO_LARGE = "Tệp quá lớn (tối đa {limit} MB) nên bot không tải về. Chưa nhập gì."
CHAT_CONFIRM = "Nhập kế hoạch này?"
CHAT_YES = "Nhập kế hoạch"
CHAT_NO = "Hủy"
CHAT_FILE_GONE = "Không còn tệp đã gửi (bot đã khởi động lại?). Xin gửi lại tệp: /nhapkehoach"
CHAT_FILE_HINT = (
    "Bot đã nhận tệp nhưng chưa biết dùng vào việc gì. Để nhập kế hoạch từ văn bản Word, gõ "
    "/nhapkehoach rồi gửi lại tệp; để nhập danh sách đơn vị, tổ dân phố (.xlsx): /danhsach, "
    "chọn «Nhập danh sách»."
)
