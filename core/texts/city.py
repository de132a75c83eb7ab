"""The city level (issue 19): the roll-up, a ward's report sent upward."""

KIND_CODES = {"six_month": "6T", "nine_month": "9T", "annual": "NAM", "adhoc": "DX"}
STATE_LABELS = {"on_time": "Đã gửi đúng hạn", "late": "Gửi muộn", "missing": "Chưa gửi",
                "no_round": "Không có kỳ này"}
PART_NAMES = {"overview": "tình hình chung", "strengths": "ưu điểm",
              "weaknesses": "hạn chế, khó khăn", "causes": "nguyên nhân",
              "direction": "phương hướng, nhiệm vụ", "proposals": "đề xuất, kiến nghị"}
STATUS_ORDER = ("done", "in_progress", "not_started", "not_applicable")

ROLLUP_HEADER = "TỔNG HỢP CẤP THÀNH PHỐ – {title} (hạn gửi trước {due})"
STATE_LINE = "{label} ({count}): {wards}"
NOBODY = "—"
CHANGED_HEADER = "Có thay đổi sau khi gửi, cần gửi lại: {wards}"
MATRIX_HEADER = "Tình hình theo mục của Kế hoạch (HT/ĐTK/CTK/KPS):"
MATRIX_SECTIONS = "Mục: {sections}"
MATRIX_LINE = "• {ward}: {cells}"
MATRIX_CELL = "{code} {done}/{in_progress}/{not_started}/{not_applicable}"
MATRIX_ALL = "Cả {count} xã, phường"
MATRIX_IN_XLSX = ("Bảng theo từng xã, phường: tải báo cáo tổng hợp (/thanhpho MÃ_KỲ docx "
                  "hoặc xlsx); trên máy chủ: python -m bot city rollup MÃ_KỲ --docx TỆP.docx "
                  "--xlsx TỆP.xlsx")
OTHER_ROUNDS = "Các kỳ khác: {rounds} (gõ /thanhpho MÃ_KỲ)."
WARD_HAS_NO_ROUND = "Xã, phường này không có kỳ {round} (hoặc đã ngừng hoạt động)."
WARD_REPORT_USAGE = ("Gõ /baocaophuong MÃ_XÃ_PHƯỜNG [MÃ_KỲ], ví dụ /baocaophuong DOSON NAM-2025, "
                     "để tải báo cáo của một xã, phường (mã xem ở /thanhpho).")
WARD_REPORT_HINT = "Tải báo cáo của một xã, phường: /baocaophuong MÃ [MÃ_KỲ]."
NO_ROUNDS = "Chưa có kỳ báo cáo nào ở các xã, phường."
UNKNOWN_ROUND = "Không có kỳ «{arg}». Các kỳ: {rounds}."

SENT = ("Đã gửi {name} của {ward} lên thành phố lúc {at}{late}. Nếu sau này có thay đổi "
        "(đơn vị nộp lại, sửa phần viết), xin gửi lại bằng /guithanhpho.")
SENT_LATE = " (quá hạn)"
SEND_PROMPT = "Gửi báo cáo kỳ nào lên thành phố?"
NOT_YOUR_ROUND = "Kỳ báo cáo này không thuộc xã, phường của đồng chí. Không có gì thay đổi."
PARTS_MISSING = ("Báo cáo chưa hoàn chỉnh, chưa thể gửi lên thành phố: còn thiếu phần {parts}. "
                 "Xin soạn bằng /soanbaocao (hoặc ở trang Báo cáo của bàn làm việc) rồi gửi lại.")
NOTHING_NEW = ("Báo cáo kỳ này đã được gửi và chưa có thay đổi nào kể từ lần gửi; "
               "không cần gửi lại.")
CITY_REMINDER = ("Kính gửi đồng chí {name},\nThành phố chưa nhận được {report} của xã, phường "
                 "(hạn {deadline}). Xin soạn đủ các phần (/soanbaocao) rồi gửi lên thành phố "
                 "bằng /guithanhpho.")
CITY_ONLY = "Chức năng này dành cho cán bộ cấp thành phố."
HELP_WARD_SEND = ("/guithanhpho – gửi báo cáo của xã, phường lên thành phố (sau khi đã soạn đủ "
                  "các phần bằng /soanbaocao); có thay đổi sau khi gửi thì gửi lại.")
HELP_CITY_DESK = ("/web – đường dẫn đăng nhập trang quản trị trên máy tính: tổng hợp các xã, "
                  "phường theo kỳ, tải báo cáo của từng xã, phường.")
HELP_CITY_BROADCAST = ("/thongbao – thông báo của thành phố tới cán bộ quản trị, thủ trưởng đơn "
                       "vị của tất cả xã, phường hoặc tổ trưởng tổ dân phố của các xã, phường "
                       "được chọn; /tinhtrang, /lichgui, /guilai – tình hình gửi, xác nhận.")
HELP_CITY = ("/thanhpho – tổng hợp các xã, phường theo kỳ (đã gửi, gửi muộn, chưa gửi; "
             "tình hình theo mục); /thanhpho docx hoặc /thanhpho xlsx – tải báo cáo tổng hợp.")

# --- CLI ------------------------------------------------------------------------------------
CITY_HELP = "cấp thành phố: tổng hợp các xã, phường; mã mời cán bộ thành phố"
CITY_ROLLUP_HELP = "tổng hợp một kỳ (mặc định: kỳ sắp đến hạn)"
CITY_ROUND_HELP = "mã kỳ, ví dụ NAM-2025 hoặc 9T-2025"
CITY_XLSX_HELP = "ghi thêm bảng tổng hợp ra tệp .xlsx"
CITY_DOCX_HELP = "ghi thêm báo cáo tổng hợp (thể thức Nghị định 30) ra tệp .docx"
XLSX_WRITTEN = "Đã ghi bảng tổng hợp: {path}"
DOCX_WRITTEN = "Đã ghi báo cáo tổng hợp: {path}"
XLSX_WARDS_SHEET = "Các xã, phường"
XLSX_MATRIX_SHEET = "Theo mục"
XLSX_TITLE = "TỔNG HỢP CẤP THÀNH PHỐ – {title} (hạn gửi trước {due})"
XLSX_WARD_HEADERS = ("Mã", "Xã, phường, đặc khu", "Tình trạng", "Gửi lúc", "Thay đổi sau khi gửi")
XLSX_YES = "Có – cần gửi lại"
XLSX_WARD = "Xã, phường, đặc khu"
XLSX_STATUS = {"done": "Hoàn thành", "in_progress": "Đang triển khai",
               "not_started": "Chưa triển khai", "not_applicable": "Không phát sinh"}

# --- The city's files in chat (/thanhpho docx | xlsx) ----------------------------------------
FILE_LABELS = {"docx": "Tổng hợp của thành phố (DOCX, thể thức Nghị định 30)",
               "xlsx": "Bảng tổng hợp các xã, phường (XLSX)"}
FILE_OPTIONS = {"docx": "Tải báo cáo tổng hợp (DOCX)", "xlsx": "Tải bảng tổng hợp (XLSX)"}
NO_LINK = ("Kênh này không gửi được tệp và máy chủ chưa cấu hình đường dẫn tải về "
           "(PUBLIC_BASE_URL, LINK_SECRET). Đồng chí dùng lệnh trên máy chủ:\n"
           "python -m bot city rollup {round} --{fmt} {file_name}")

# --- The city's summary DOCX (Nghị định 30 layout, issued by the city's UBND) ------------------
DOCX_AGENCY = "Ủy ban nhân dân {locality}"
DOCX_SUBJECT = "Tổng hợp kết quả thực hiện công tác dân vận chính quyền {title}"
DOCX_OPENING = ("Trên cơ sở báo cáo của các xã, phường, đặc khu (hạn gửi trước ngày {due}), "
                "{agency} tổng hợp kết quả thực hiện công tác dân vận chính quyền {title} "
                "như sau:")
DOCX_PART_SENDING = "I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU"
DOCX_SENDING_STATE = ("Tính đến ngày {today}, có {sent}/{total} xã, phường, đặc khu đã gửi báo "
                      "cáo ({on_time} đúng hạn, {late} gửi muộn); {missing} xã, phường, đặc khu "
                      "chưa gửi báo cáo.")
DOCX_LIST = "- {label} ({count}): {names}."
DOCX_LIST_LABELS = {"late": "Gửi muộn", "missing": "Chưa gửi",
                    "changed": "Có thay đổi sau khi gửi, chưa gửi lại",
                    "no_round": "Không có kỳ báo cáo này"}
DOCX_PART_RESULTS = "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"
DOCX_RESULTS_NOTE = ("Số lượt nhiệm vụ theo tình trạng thực hiện, theo từng mục của Kế hoạch, "
                     "cộng từ báo cáo đã nộp của các cơ quan, đơn vị thuộc {count} xã, phường, "
                     "đặc khu:")
DOCX_TOTAL_HEADERS = ("Mục", "Hoàn thành", "Đang triển khai", "Chưa triển khai",
                      "Không phát sinh", "Tỉ lệ hoàn thành (%)")
DOCX_TOTAL_ROW = "Cộng"
DOCX_NO_FIGURE = "–"
DOCX_REQUEST = ("Đề nghị Ủy ban nhân dân các xã, phường, đặc khu chưa gửi báo cáo hoặc có thay "
                "đổi sau khi gửi khẩn trương hoàn thiện, gửi báo cáo để thành phố tổng hợp.")
DOCX_CLOSING = ("Trên đây là báo cáo tổng hợp kết quả thực hiện công tác dân vận chính quyền "
                "{title} của các xã, phường, đặc khu trên địa bàn {locality}./.")
DOCX_APPENDIX_TITLE = "Tình hình gửi báo cáo và thực hiện nhiệm vụ của từng xã, phường, đặc khu"
DOCX_LEGEND = ("Mỗi ô «Mục»: số lượt nhiệm vụ hoàn thành / đang triển khai / chưa triển khai; "
               "tỉ lệ hoàn thành tính trên số lượt đã hoàn thành, đang và chưa triển khai.")
DOCX_MATRIX_HEADERS = ("STT", "Xã, phường, đặc khu", "Gửi báo cáo")
DOCX_SECTION_HEADER = "Mục {code}"
DOCX_RATE_HEADER = "Tỉ lệ HT (%)"
DOCX_CELL = "{done}/{in_progress}/{not_started}"
DOCX_STATE_SHORT = {"on_time": "Đúng hạn", "late": "Muộn", "missing": "Chưa gửi",
                    "no_round": "Không có kỳ"}
DOCX_CHANGED_MARK = " (*)"
DOCX_CHANGED_NOTE = "(*) Có thay đổi sau khi gửi, chưa gửi lại."
