"""Task assignments: who leads (chủ trì) and joins (phối hợp) each task (chat and command line)."""

NO_TASK = "Không có nhiệm vụ mã «{code}» trong kế hoạch {plan}."
UNKNOWN_UNITS = "Không có đơn vị mã {codes}. Các mã đơn vị: {known}."
NO_UNITS = (
    "Cần ít nhất một đơn vị chủ trì hoặc phối hợp (hoặc giao lại cho mọi đơn vị: --all, "
    "trong trò chuyện gõ «tat ca»)."
)
SET = "Đã phân công nhiệm vụ {code}: {units}."
CLEARED = "Nhiệm vụ {code} giao lại cho mọi đơn vị."
EVERYONE = "mọi đơn vị"
LEAD = "chủ trì: {names}"
JOIN = "phối hợp: {names}"
LINE = "{code} {title} — {units}"
LIST_HEADER = "Phân công nhiệm vụ của kế hoạch {plan} ({count} nhiệm vụ):"

# Chat: /phancong
ASK_TASK = (
    "Phân công nhiệm vụ kế hoạch {plan}. Gõ mã nhiệm vụ (ví dụ 1.1) để xem và sửa phân công:"
)
TASK_NOW = "Nhiệm vụ {code} {title}\nHiện nay: {units}."
ASK_UNITS = (
    "Gõ mã các đơn vị chủ trì, rồi «/» và mã các đơn vị phối hợp, ví dụ: VP / KTHTDT, TTSNC\n"
    "Gõ «tat ca» để giao cho mọi đơn vị, «huy» để thôi.\nCác mã đơn vị: {known}."
)

# Command line
CLI_HELP = "phân công đơn vị chủ trì, phối hợp cho một nhiệm vụ"
CLI_LIST_HELP = "xem phân công các nhiệm vụ"
CLI_TASK_HELP = "mã nhiệm vụ, ví dụ 1.1"
CLI_LEAD_HELP = "mã các đơn vị chủ trì, cách nhau bởi dấu phẩy"
CLI_JOIN_HELP = "mã các đơn vị phối hợp, cách nhau bởi dấu phẩy"
CLI_ALL_HELP = "giao lại cho mọi đơn vị"
CLI_PLAN_HELP = "số hiệu kế hoạch (mặc định: kế hoạch mới nhất)"
CLI_CONFLICT = "Dùng --all, hoặc --lead/--join, không dùng cả hai."
