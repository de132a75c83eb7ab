"""Messages of the plan and roster files' checks (`plan import`, `roster import`)."""

KIND_TITLES = {
    "six_month": "6 tháng", "nine_month": "9 tháng", "annual": "năm", "adhoc": "đột xuất",
}
PERIOD_TITLE = "{kind} năm {year}"
ANNUAL_TITLE = "năm {year}"
PLAN_DOC_TYPE = "KẾ HOẠCH"
TASK_CODE = "mã nhiệm vụ"
SECTION_CODE = "mã mục"
PERIOD_CODE = "mã kỳ báo cáo"
UNIT_CODE = "mã đơn vị"
GROUP_CODE = "mã tổ dân phố"
DUPLICATE = "{what} bị trùng: {code}"
UNKNOWN_SECTION = (
    "tasks[{index}].section: nhiệm vụ {task} thuộc mục {section!r} không có trong danh sách "
    "sections"
)
HEAD_NEEDS_UNIT = "people[{index}].unit: thủ trưởng đơn vị cần mã đơn vị"
LEADER_NEEDS_GROUP = "people[{index}].group: tổ trưởng cần mã tổ dân phố"
UNREADABLE = "Không đọc được tệp {path}: {reason}"
BAD_YAML = ("{path}: YAML sai cú pháp ở {where} (hoặc ngay trước đó): kiểm tra dấu ngoặc, "
            "dấu hai chấm, thụt đầu dòng.")
LINE = "dòng {line}"
NOT_A_MAPPING = "{path}: tệp phải là một bảng YAML (mapping)"
MORE_ERRORS = " (và {count} lỗi khác)"
INVALID_FIELD = "{path}: dòng {line}, trường {field}: {message}{more}"
UNKNOWN_CODE = "{field}: mã {code!r} không có trong danh sách"
UNNAMED_PERSON = "Chưa đặt tên"
