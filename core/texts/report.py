"""Vietnamese strings of the ward's Báo cáo to the city (issue 16) and of its parts' editing."""

from __future__ import annotations

# --- The documents: /xuat and `export --document` ----------------------------------------------
DOCUMENT_LABELS = {
    "bao-cao": "Báo cáo gửi cấp trên (Word, thể thức Nghị định 30, để trình ký)",
    "tong-hop": "Tổng hợp nội bộ theo đơn vị (Word)",
}

# --- Báo cáo ------------------------------------------------------------------------------------
SUBJECT = "Kết quả thực hiện công tác dân vận chính quyền {period}"
OPENING = (
    "Thực hiện Kế hoạch số {plan} ngày {issued} của {agency} về {plan_title}, "
    "{agency} báo cáo kết quả thực hiện công tác dân vận chính quyền {period} như sau:"
)
PART_LEADERSHIP = "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI"
PART_RESULTS = "II. KẾT QUẢ THỰC HIỆN"
PART_ASSESSMENT = "III. ĐÁNH GIÁ CHUNG"
STRENGTHS = "1. Ưu điểm"
WEAKNESSES = "2. Hạn chế, khó khăn"
CAUSES = "3. Nguyên nhân"
PART_DIRECTION = "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"
PART_PROPOSALS = "V. KIẾN NGHỊ, ĐỀ XUẤT"
PLAN_ISSUED = "{agency} ban hành Kế hoạch số {plan} ngày {issued} về {plan_title}."
DOCUMENTS_ISSUED = "Các cơ quan, đơn vị đã ban hành văn bản triển khai:"
TASK_NO_RESULT = "Chưa có kết quả được báo cáo trong kỳ."
CLOSING = (
    "Trên đây là báo cáo kết quả thực hiện công tác dân vận chính quyền {period} "
    "của {agency}./."
)
# A part nobody wrote: visible, never filled with invented text.
PLACEHOLDER = ("[Chưa soạn nội dung phần «{part}»: soạn bằng /soanbaocao hoặc sửa trực tiếp "
               "trước khi trình ký.]")
PART_NAMES = {
    "overview": "Công tác lãnh đạo, chỉ đạo, triển khai",
    "strengths": "Ưu điểm",
    "weaknesses": "Hạn chế, khó khăn",
    "causes": "Nguyên nhân",
    "direction": "Phương hướng, nhiệm vụ kỳ tới",
    "proposals": "Kiến nghị, đề xuất",
    "recipients": "Nơi nhận",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ tên người ký",
}

# --- CLI ----------------------------------------------------------------------------------------
CLI_DOCUMENT_HELP = "bao-cao: báo cáo gửi cấp trên (mặc định); tong-hop: tổng hợp nội bộ"
CLI_TEMPLATE_HELP = "mẫu .docx (docxtpl) của phường thay cho mẫu mặc định"
CLI_SECTIONS_HELP = ("tệp các phần do người soạn, mỗi phần mở đầu bằng [khóa]: "
                     "overview, strengths, weaknesses, causes, direction, proposals, "
                     "recipients, signer_title, signer_name; được lưu cho kỳ báo cáo")
CLI_UNKNOWN_PART = "Không có phần «{key}». Các phần: {known}"

# --- Chat: the admin drafts the parts (/soanbaocao, from /tonghop) ------------------------------
DIGEST_OPTION = "Soạn các phần đánh giá của báo cáo"
SECTIONS_ASK_PERIOD = "Soạn các phần của báo cáo kỳ nào?"
SECTIONS_INTRO = ("SOẠN CÁC PHẦN CỦA BÁO CÁO {period}\n"
                  "Lần lượt {total} bước: các phần chỉ người mới viết được, rồi nơi nhận và "
                  "người ký. Gõ /huy để dừng (chưa lưu gì).")
PART_STEP = "Bước {index}/{total}: {name}"
PART_CURRENT = "Nội dung đang lưu:\n{text}"
PART_NOTHING_SAVED = "Chưa có nội dung đang lưu."
PART_DEFAULT = "Đang dùng:\n{text}"
SIGNER_FROM_PLAN = "Chưa đặt: báo cáo dùng người ký ghi trong kế hoạch."
MATERIAL_DIFFICULTIES = "Tư liệu, khó khăn, vướng mắc các đơn vị đã nộp:"
MATERIAL_PROPOSALS = "Tư liệu, kiến nghị, đề xuất các đơn vị đã nộp:"
MATERIAL_LINE = "- {units}: {text}"
MATERIAL_MORE_UNITS = "{names} và {count} đơn vị khác"
MATERIAL_CUT = "… (xem đầy đủ trong /xuat, bản Tổng hợp)"
PART_ASK_TEXT = ("Gõ nội dung phần này (mỗi ý một dòng), chọn «Giữ nội dung cũ» để giữ, "
                 "hoặc «Bỏ qua» để để trống.")
PART_ASK_TEXT_NEW = "Gõ nội dung phần này (mỗi ý một dòng), hoặc chọn «Bỏ qua» để để trống."
PART_ASK_RECIPIENTS = ("Gõ nơi nhận, mỗi nơi một dòng (ví dụ: UBND thành phố (b/c)), "
                       "hoặc chọn «Giữ nội dung cũ».")
PART_ASK_SIGNER_TITLE = ("Gõ chức vụ người ký, mỗi dòng như in trên văn bản "
                         "(ví dụ: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH), hoặc chọn «Giữ nội dung cũ».")
PART_ASK_SIGNER_NAME = "Gõ họ tên người ký, hoặc chọn «Giữ nội dung cũ»."
PART_EMPTY_TEXT = "Nội dung trống. Gõ nội dung, hoặc chọn một mục bên dưới."
PART_TOO_LONG = "Nội dung quá dài ({length} ký tự, tối đa {limit}). Gõ ngắn lại."
PARTS_SAVED = ("Đã lưu các phần của báo cáo {period}: {changed}.\n"
               "Tải báo cáo để trình ký: /xuat {code}, chọn «Báo cáo gửi cấp trên».")
PARTS_UNCHANGED = ("Không có phần nào thay đổi; báo cáo {period} giữ nội dung cũ.\n"
                   "Tải báo cáo: /xuat {code}, chọn «Báo cáo gửi cấp trên».")
UNSAVED_PARTS = "{count} phần của báo cáo"
PART_CLEARED = "{name} (để trống)"
