"""Every Vietnamese string the core shows, in one place (formal tone, with diacritics).

Channel- and feature-specific strings live in sibling modules of this package."""

from core.types import Role, Status

MENU_HINT = "Gõ số thứ tự hoặc tên lựa chọn."
# A reply was given up after its retries (the messenger kept failing); said at the next message.
REPLY_FAILED = ("⚠️ Bot gặp trục trặc khi trả lời tin nhắn trước của đồng chí, nên đồng chí có "
                "thể chưa nhận được câu trả lời đó. Nội dung đồng chí gửi đã được ghi nhận; nếu "
                "cần, đồng chí gõ /trogiup hoặc làm lại bước vừa rồi.")

STATUS_LABELS = {
    Status.NOT_STARTED: "Chưa triển khai",
    Status.IN_PROGRESS: "Đang triển khai",
    Status.DONE: "Hoàn thành",
    Status.NOT_APPLICABLE: "Không phát sinh",
}
STATUS_MARKS = {
    Status.NOT_STARTED: "⏳",
    Status.IN_PROGRESS: "🔄",
    Status.DONE: "✅",
    Status.NOT_APPLICABLE: "➖",
}
MISSING_MARK = "▫️"
STATUS_SHORT = {
    Status.DONE: "HT",
    Status.IN_PROGRESS: "ĐTK",
    Status.NOT_STARTED: "CTK",
    Status.NOT_APPLICABLE: "KPS",
    "missing": "chưa BC",
}
ROLE_LABELS = {
    Role.ADMIN: "Quản trị (Phòng Văn hóa - Xã hội)",
    Role.UNIT_HEAD: "Thủ trưởng cơ quan, đơn vị",
    Role.GROUP_LEADER: "Tổ trưởng tổ dân phố",
    Role.CITY: "Cán bộ cấp thành phố",
}

# --- Engine -------------------------------------------------------------------------------
TOO_LONG = (
    "Nội dung quá dài ({length} ký tự; tối đa {limit} ký tự). Xin đồng chí rút gọn rồi gửi lại."
)
INTERNAL_ERROR = (
    "Xin lỗi, hệ thống gặp lỗi khi xử lý yêu cầu. Thao tác chưa được lưu; "
    "đồng chí vui lòng thử lại sau ít phút."
)
WRITE_CONFLICT = (
    "Cùng lúc đó có một thay đổi khác được lưu nên thao tác này chưa được ghi. "
    "Xin đồng chí gửi lại tin nhắn vừa rồi."
)
DIALOG_EXPIRED = (
    "Phiên thao tác trước đã hết hạn do lâu không trả lời. Xin gõ lại lệnh để bắt đầu lại "
    "(ví dụ /baocao); /trogiup để xem các lệnh."
)
DIALOG_EXPIRED_UNSAVED = (
    "Phiên thao tác trước đã hết hạn do lâu không trả lời; phần đang nhập dở không được lưu: "
    "{lost}. Xin gõ lại lệnh để bắt đầu lại (ví dụ /baocao); /trogiup để xem các lệnh."
)
DIALOG_LOST = "Phiên thao tác không còn hiệu lực. Gõ /trogiup để xem các lệnh."
STICKER = "Bot chỉ đọc được tin nhắn chữ. Gõ /trogiup để xem hướng dẫn."
UNSUPPORTED = (
    "Bot chưa đọc được loại tin nhắn này. Xin đồng chí gửi tin nhắn chữ; "
    "gõ /trogiup để xem hướng dẫn."
)
STALE_CHOICE = "Lựa chọn này không hợp lệ hoặc đã hết hiệu lực. Gõ /trogiup để xem các lệnh."
UNKNOWN_COMMAND = "Không có lệnh /{name}. Gõ /trogiup để xem các lệnh."
UNKNOWN_COMMAND_SUGGEST = "Không có lệnh /{name}. Có phải đồng chí muốn gõ /{meant}?"
DID_YOU_MEAN = "Bot chưa hiểu yêu cầu. Có phải đồng chí muốn gõ /{meant}? (/trogiup: các lệnh)"
NOT_REGISTERED = (
    "Kính chào đồng chí. Tài khoản này chưa đăng ký với Dân vận bot của UBND phường.\n\n"
    "Để đăng ký, đồng chí liên hệ Phòng Văn hóa - Xã hội phường để nhận mã mời, "
    "rồi gửi: /dangky MÃ (ví dụ: /dangky ABCD2345EF)."
)
FORBIDDEN = (
    "Chức năng này không dành cho vai trò của đồng chí. Gõ /trogiup để xem các lệnh được "
    "dùng."
)
CITY_WARD_ONLY = (
    "Chức năng này dành cho cán bộ của từng xã, phường, đặc khu; tài khoản cấp thành phố "
    "không thay đổi được dữ liệu của xã, phường. Gõ /thanhpho để xem tổng hợp các xã, phường."
)
NO_UNIT = (
    "Tài khoản của đồng chí chưa gắn với cơ quan, đơn vị nào nên chưa báo cáo được. "
    "Xin liên hệ Phòng Văn hóa - Xã hội."
)
FLOW_CONTINUES = "Đồng chí đang có thao tác dở; trả lời để tiếp tục hoặc gõ /huy để hủy."
FLOW_REPLACED = "Đã dừng thao tác đang dở (chưa nhập nội dung nào)."
# Another command while typed answers wait unsaved: asked first, never dropped silently.
FLOW_UNSAVED = ("Đồng chí đang nhập dở {lost}; phần này chưa được lưu. Nếu chuyển sang /{name}, "
                "phần đang nhập sẽ bị bỏ.")
FLOW_DROP = "Bỏ phần đang nhập, chuyển sang /{name}"
FLOW_KEEP = "Tiếp tục phần đang nhập"
FLOW_RESUMED = "Xin tiếp tục trả lời bước đang dở (hoặc gõ /huy để hủy)."
FLOW_DROPPED = "Đã bỏ phần đang nhập (chưa lưu)."
DONT_UNDERSTAND = "Bot chưa hiểu yêu cầu. Gõ /trogiup để xem các lệnh."
FILE_OUTSIDE_FLOW = (
    "Bot đã nhận tệp nhưng chưa biết gắn vào đâu. Để gửi minh chứng, dùng /baocao và gửi tệp "
    "ở bước «Minh chứng»."
)
FILE_NOT_SUPPORTED = "Kênh này chưa hỗ trợ gửi tệp minh chứng."
FILE_TOO_LARGE = "Tệp quá lớn (tối đa {limit} MB). Xin gửi tệp nhỏ hơn hoặc gõ «bỏ qua»."
FILE_DOWNLOAD_FAILED = "Không tải được tệp từ máy chủ nhắn tin. Xin gửi lại hoặc gõ «bỏ qua»."
FILE_DOWNLOAD_FAILED_SEND_AGAIN = (
    "Không tải được tệp từ máy chủ nhắn tin. Xin gửi lại tệp, hoặc gõ /huy."
)
CHOOSE_NUMBER = "Xin gõ số thứ tự (từ 1 đến {count}) hoặc tên một lựa chọn trong danh sách."
CANCELLED = "Đã hủy thao tác; chưa có gì thay đổi. Gõ /trogiup để xem các lệnh."
CANCELLED_UNSAVED = ("Đã hủy thao tác; phần đang nhập dở không được lưu: {lost}. "
                     "Gõ lại lệnh để làm lại, /trogiup để xem các lệnh.")
NOTHING_TO_CANCEL = "Không có thao tác nào đang dở."
# Long lists folded to a phone's screen (handlers.more).
MORE_LINE = "… và {count} {noun} khác — gõ «xem thêm» để xem tiếp."
MORE_BLOCKS = "… gõ «xem thêm» để xem {what}."
MORE_PAGE = "… còn {count} dòng — gõ «xem thêm» để xem tiếp."
NOTHING_MORE = "Không còn gì để xem thêm. Gõ /trogiup để xem các lệnh."
# The terminal shell: a message the bot sent on its own while the person was away.
SHELL_INBOX = "— Tin nhắn từ bot —"
