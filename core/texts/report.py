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
PLACEHOLDER = ("[Chưa soạn nội dung phần «{part}»: soạn bằng /tonghop hoặc sửa trực tiếp "
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
