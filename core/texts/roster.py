"""Roster administration: import (.xlsx / YAML) with preview, export, deactivation, invites."""

# --- Reading a roster file ------------------------------------------------------------------
FILE_TOO_LARGE = "Tệp {name} quá lớn ({size} KB; tối đa {limit} KB). Chưa đọc tệp, chưa nhập gì."
FILE_KIND_UNKNOWN = "Tệp {name}: chỉ nhận tệp .xlsx hoặc .yaml/.yml."
FILE_UNREADABLE = "Không đọc được tệp {name} (không phải tệp Excel .xlsx hợp lệ?): {reason}"
FILE_EMPTY = "Tệp {name}: trang tính đầu tiên không có dữ liệu."
MISSING_COLUMNS = (
    "Tệp {name}: dòng tiêu đề (dòng {row}) thiếu cột {columns}. "
    "Cần các cột: Mã, Tên, Loại (cơ quan/đơn vị hoặc tổ dân phố); tùy chọn: Người phụ trách, "
    "Điện thoại, Ghi chú."
)
DUPLICATE_COLUMN = "Tệp {name}: dòng tiêu đề (dòng {row}) có hai cột «{column}»."
CELL_ERROR = "Dòng {row}, cột «{column}» ({letter}): {problem}"
EMPTY_CODE = "mã trống."
EMPTY_NAME = "tên trống."
CODE_TOO_LONG = "mã «{code}» dài quá {limit} ký tự."
NAME_TOO_LONG = "tên dài quá {limit} ký tự."
BAD_KIND = "«{value}» không rõ loại; ghi «cơ quan/đơn vị» hoặc «tổ dân phố»."
DUPLICATE_CODE = "mã «{code}» trùng với dòng {first}."
CODE_OTHER_TYPE = "mã «{code}» đã có trong danh sách là {existing}, không phải {wanted}."
UNKNOWN_REFERENCE = "people[{index}] «{name}»: mã {code} không có trong danh sách."
NO_ROWS = "Tệp {name}: không có dòng dữ liệu nào dưới dòng tiêu đề."
ERRORS_HEADER = "Tệp {name} có lỗi, chưa nhập gì:"
MORE_ERRORS = "… và {count} lỗi khác."
YAML_ERROR = "{message}"
KIND_UNIT = "cơ quan, đơn vị"
KIND_GROUP = "tổ dân phố"

# --- Preview and result ---------------------------------------------------------------------
PREVIEW_HEADER = "Xem trước nhập danh sách từ {name}:"
PREVIEW_ADDED = "Thêm mới ({count}):"
PREVIEW_CHANGED = "Thay đổi ({count}):"
PREVIEW_UNLISTED_REPLACE = "Không còn trong tệp, sẽ ngừng sử dụng ({count}):"
PREVIEW_UNLISTED_KEEP = (
    "Không còn trong tệp, vẫn giữ nguyên ({count}; dùng --replace để ngừng sử dụng):"
)
PREVIEW_PEOPLE = "Người phụ trách mới: {count}."
PREVIEW_NOTHING = "Không có gì thay đổi."
PREVIEW_LINE = "  - {kind} {code}: {name}"
PREVIEW_CHANGE_LINE = "  - {kind} {code}: {old} → {new}"
PREVIEW_REACTIVATED = " (dùng lại)"
ASK_CONFIRM = "Nhập danh sách này? [c/k] "
NOT_CONFIRMED = "Chưa nhập gì."
NO_TTY = "Cần xác nhận: chạy lại với --yes để nhập không cần hỏi."
IMPORTED = (
    "Đã nhập danh sách: thêm {added}, thay đổi {changed}, ngừng sử dụng {deactivated}, "
    "{people} người phụ trách mới."
)
EXAMPLES_LEFT = (
    "Lưu ý: còn {count} mục ví dụ ({codes}). Thay bằng danh sách thật của phường: "
    "python -m bot roster import TỆP --replace"
)

# --- Export ---------------------------------------------------------------------------------
EXPORT_HEADERS = ("Mã", "Tên", "Loại", "Người phụ trách", "Điện thoại", "Ghi chú")
EXPORT_SHEET = "Danh sách"
EXPORT_DONE = "Đã xuất {units} cơ quan, đơn vị và {groups} tổ dân phố ra {path}."
KIND_UNIT_CELL = "Cơ quan/đơn vị"
KIND_GROUP_CELL = "Tổ dân phố"
EXAMPLE_NOTE = "ví dụ, cần thay bằng danh sách thật"

# --- Deactivate / reactivate ----------------------------------------------------------------
NOT_FOUND_UNIT = "Không có cơ quan, đơn vị mã {key}. Xem: python -m bot units"
NOT_FOUND_GROUP = "Không có tổ dân phố mã {key}. Xem: python -m bot units"
NOT_FOUND_PERSON = "Không có người dùng số {key}. Xem: python -m bot people"
DEACTIVATED = "Đã ngừng sử dụng {what} «{name}» ({key}). Lịch sử báo cáo, thông báo vẫn được giữ."
REACTIVATED = "Đã dùng lại {what} «{name}» ({key})."
ALREADY_INACTIVE = "{what} «{name}» ({key}) đã ngừng sử dụng từ trước."
ALREADY_ACTIVE = "{what} «{name}» ({key}) đang được sử dụng."
WHAT_UNIT = "cơ quan, đơn vị"
WHAT_GROUP = "tổ dân phố"
WHAT_PERSON = "người dùng"
PERSON_ACCOUNTS_OFF = "Các tài khoản Zalo/Telegram của người này không dùng được nữa."

# Shown in chat to somebody whose person was deactivated.
ACCOUNT_DEACTIVATED = (
    "Tài khoản của đồng chí đã được ngừng sử dụng trong danh sách của phường. "
    "Nếu có nhầm lẫn, xin liên hệ Phòng Văn hóa - Xã hội."
)

# --- Invites ----------------------------------------------------------------------------------
INVITE_REUSED = (
    "Đã có «{name}» trong {place} (người dùng số {person_id}): mã mời này gắn với người đó, "
    "không tạo người mới."
)
SAME_PLACE = "cùng đơn vị / tổ dân phố"

# --- A unit handed to a new head -----------------------------------------------------------------
HANDOVER_BAD_NAME = "Xin gõ họ và tên người phụ trách mới (không quá 120 ký tự)."
HANDOVER_CREATED = (
    "Bàn giao {unit} cho «{name}»: mã mời {code}, hiệu lực đến {expires}. "
    "Khi người mới đăng ký bằng mã này, {heads} không còn báo cáo cho đơn vị nữa; "
    "lịch sử báo cáo vẫn được giữ."
)
HANDOVER_NO_HEAD = "người phụ trách hiện nay (chưa có ai)"
HANDOVER_NOTICE = (
    "{unit} đã được bàn giao cho đồng chí {name}. Tài khoản của đồng chí không còn báo cáo cho "
    "đơn vị; các báo cáo đã gửi vẫn được lưu. Trân trọng cảm ơn đồng chí."
)
HANDOVER_DONE = "Đồng chí nhận bàn giao {unit}. {heads} không còn báo cáo cho đơn vị nữa."
BULK_UNKNOWN_CODES = "Không có mã {codes}. Xem: python -m bot units"
BULK_NOBODY = "Không có ai cần mã mời: mọi người trong danh sách đã đăng ký tài khoản."
BULK_DONE = "Đã tạo {count} mã mời (hiệu lực đến {expires}), ghi vào {path}."
BULK_NO_LINK = (
    "Chưa biết tên bot Telegram (TELEGRAM_BOT_USERNAME): cột đường dẫn Telegram để trống."
)
BULK_SHEET = "Mã mời"
BULK_HEADERS = (
    "Họ và tên", "Cơ quan, đơn vị / Tổ dân phố", "Vai trò", "Mã mời", "Đường dẫn Telegram",
    "Tin nhắn Zalo", "Hiệu lực đến",
)
ZALO_TEXT = "/dangky {code}"
NEED_OUT = "Cần --out TỆP.xlsx để ghi các mã mời."
NEED_ROLE = "Cần --role (hoặc --all để mời mọi người chưa đăng ký)."
# The roster sheet's column titles (export), by field.
COLUMN_TITLES = {"code": "Mã", "name": "Tên", "kind": "Loại", "head": "Người phụ trách",
                 "phone": "Điện thoại", "note": "Ghi chú"}

# --- Chat: /danhsach (admins) ------------------------------------------------------------------
CHAT_MENU = "Quản lý danh sách. Xin chọn:"
CHAT_MENU_OFF = "Ngừng sử dụng đơn vị, tổ dân phố hoặc người"
CHAT_MENU_ON = "Dùng lại đơn vị, tổ dân phố hoặc người"
CHAT_MENU_HANDOVER = "Bàn giao đơn vị cho người phụ trách mới"
CHAT_MENU_BULK = "Mã mời cho mọi người chưa đăng ký"
CHAT_ASK_KIND = "Loại nào?"
CHAT_KIND_UNIT = "Cơ quan, đơn vị"
CHAT_KIND_GROUP = "Tổ dân phố"
CHAT_KIND_PERSON = "Người dùng"
CHAT_ASK_UNIT_OFF = "Ngừng sử dụng đơn vị nào?"
CHAT_ASK_UNIT_ON = "Dùng lại đơn vị nào?"
CHAT_ASK_GROUP_OFF = "Ngừng sử dụng tổ dân phố nào?"
CHAT_ASK_GROUP_ON = "Dùng lại tổ dân phố nào?"
CHAT_NONE_LISTED = "Không có {what} nào để chọn."
CHAT_ASK_PERSON = "Xin gõ họ tên (hoặc một phần họ tên) của người cần tìm:"
CHAT_PEOPLE_FOUND = "Chọn người:"
CHAT_NO_PERSON = "Không thấy ai tên «{name}»{state}. Xin gõ lại họ tên, hoặc /huy."
CHAT_NO_PERSON_ACTIVE = " đang được sử dụng"
CHAT_NO_PERSON_INACTIVE = " đã ngừng sử dụng"
CHAT_ASK_HANDOVER_UNIT = "Bàn giao đơn vị nào?"
CHAT_ASK_HANDOVER_NAME = "Xin gõ họ và tên người phụ trách mới của {unit}:"
CHAT_ASK_BULK = (
    "Tạo mã mời cho những ai? Chọn «Mọi người chưa đăng ký», hoặc gõ mã các đơn vị / tổ dân phố, "
    "cách nhau bởi dấu phẩy (ví dụ: VP, TDP01)."
)
CHAT_BULK_ALL = "Mọi người chưa đăng ký"
CHAT_TELEGRAM_LINK = "Đường dẫn Telegram: {link}"
CHAT_BULK_FILE = "Đã tạo {count} mã mời (hiệu lực đến {expires}). Danh sách trong tệp đính kèm."
CHAT_BULK_LINK = (
    "Đã tạo {count} mã mời (hiệu lực đến {expires}). Tải danh sách (.xlsx) tại: {url} "
    "(đường dẫn dùng được đến {link_expires})."
)
CHAT_BULK_NO_LINK = (
    "Kênh này không gửi được tệp và máy chủ chưa cấu hình đường dẫn tải (PUBLIC_BASE_URL, "
    "LINK_SECRET). Xin dùng bàn làm việc trên web hoặc lệnh: python -m bot invite --all "
    "--out ma-moi.xlsx. Chưa tạo mã nào."
)
CHAT_MENU_IMPORT = "Nhập danh sách từ tệp Excel (.xlsx)"
CHAT_ASK_ROSTER_FILE = (
    "Xin gửi tệp danh sách (.xlsx, một trang tính; các cột Mã, Tên, Loại, Người phụ trách, "
    "Ghi chú), tối đa {limit} KB. Bot cho xem trước; chưa lưu gì khi đồng chí chưa xác nhận."
)
CHAT_ROSTER_WRONG_TYPE = (
    "Tệp {name}: chỉ nhận tệp Excel .xlsx; bot không tải tệp này về. "
    "Xin gửi tệp danh sách, hoặc gõ /huy."
)
CHAT_NEED_ROSTER_FILE = "Xin gửi tệp danh sách (.xlsx) dưới dạng tệp đính kèm, hoặc gõ /huy."
CHAT_ROSTER_NO_DOCUMENTS = (
    "Kênh này không gửi được tệp cho bot. Xin nhập danh sách trên bàn làm việc web (/web) "
    "hoặc bằng lệnh: python -m bot roster import TỆP.xlsx [--replace]"
)
CHAT_ROSTER_TOO_LARGE = "Tệp quá lớn (tối đa {limit} MB) nên bot không tải về. Chưa nhập gì."
CHAT_UNLISTED = "Không còn trong tệp ({count}; đồng chí chọn giữ hay ngừng sử dụng):"
CHAT_IMPORT_KEEP = "Nhập, giữ các mục không còn trong tệp"
CHAT_IMPORT_ADD = "Nhập"
CHAT_IMPORT_REPLACE = "Nhập và ngừng sử dụng các mục không còn trong tệp"
CHAT_IMPORT_NO = "Hủy"
CHAT_ROSTER_FILE_GONE = "Không còn tệp đã gửi. Xin gửi lại: /danhsach"
