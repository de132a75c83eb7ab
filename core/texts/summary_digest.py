"""Texts of the /tonghop chat digest when a city-scale summary is condensed (issue 8)."""

MORE_UNITS = "… và {count} đơn vị khác"
GROUPED_LINE = "- {text} ({count} đơn vị)"
MORE_OPINIONS = "- … và {count} ý kiến khác"
FULL_LIST_HINT = ("(Danh sách rút gọn vì có nhiều đơn vị; bản đầy đủ: /xuat để nhận tệp "
                  "DOCX hoặc XLSX.)")
NO_UNITS = "không có"
UNITS_ON_TIME = "- Đúng hạn ({count}): {names}"
UNITS_LATE = "- Nộp muộn ({count}): {names}"
UNITS_NOT_SUBMITTED = "- Chưa nộp ({count}): {names}"
COUNTS_LEGEND = "({legend}; {missing} = chưa báo cáo)"
TASK_HEADING = "Nhiệm vụ {code} {title}:"
# Units that changed entries after their latest /nop: those changes count only once resubmitted.
EDITED_NOT_RESUBMITTED = "- Đã sửa, chưa nộp lại ({count}): {names}"
MORE_WHAT = "số liệu từng nhiệm vụ, khó khăn, đề xuất của các đơn vị"
NEXT_STEPS = ("Tiếp theo: soạn các phần đánh giá rồi tải báo cáo để trình ký (/xuat); "
              "/nhacnho để nhắc các đơn vị chưa nộp.")
EDITED_NOTE = "(Các nội dung sửa sau khi nộp chỉ được tính khi đơn vị nộp lại.)"
