"""Wards and the city level (issue 19): CLI and chat words."""

KIND_LABELS = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu"}

# --- CLI ------------------------------------------------------------------------------------
WARD_HELP = "xã, phường, đặc khu trên hệ thống: thêm, liệt kê, đổi tên, ngừng, mở lại"
WARD_ADD_HELP = "thêm một xã, phường, đặc khu (nạp sẵn Kế hoạch mẫu)"
WARD_LIST_HELP = "liệt kê các xã, phường, đặc khu"
WARD_RENAME_HELP = "đổi tên (và tùy chọn: tên trên văn bản, người ký, nơi nhận)"
WARD_DEACTIVATE_HELP = "ngừng một xã, phường (không xóa dữ liệu; mã mời của nó bị từ chối)"
WARD_REACTIVATE_HELP = "mở lại một xã, phường đã ngừng"
WARD_CODE_HELP = "mã xã, phường (chữ không dấu, ví dụ DOSON)"
WARD_NAME_HELP = "tên, ví dụ \"Đồ Sơn\""
WARD_KIND_HELP = "loại: xa, phuong hoặc dac_khu"
WARD_DOC_NAME_HELP = "tên trên văn bản (mặc định: tên)"
WARD_SIGNER_HELP = "họ tên người ký báo cáo"
WARD_RECIPIENTS_HELP = "nơi nhận, cách nhau bởi dấu ;"
WARD_METAVAR = "MÃ"
WARD_OPTION_HELP = "mã xã, phường cần thao tác (bắt buộc khi hệ thống có nhiều xã, phường)"
WARD_LIST_HEADER = "Các xã, phường, đặc khu:"
WARD_LINE = "  {code:<12} {kind} {name}{state}"
WARD_INACTIVE_MARK = " (đã ngừng)"
WARD_ADDED = ("Đã thêm {kind} {name} (mã {code}) và nạp Kế hoạch mẫu. Tiếp theo: nhập danh sách "
              "đơn vị (roster import --ward {code}) và tạo mã mời quản trị "
              "(invite --role admin --ward {code}).")
WARD_RENAMED = "Đã cập nhật {code}: {kind} {name}."
WARD_DEACTIVATED = "Đã ngừng {code}. Dữ liệu vẫn được giữ; mã mời của {code} sẽ bị từ chối."
WARD_REACTIVATED = "Đã mở lại {code}."

# --- Problems (CLI and chat) ----------------------------------------------------------------
WARD_EXISTS = "Mã {code} đã có. Chọn mã khác, hoặc xem: python -m bot ward list"
BAD_WARD_CODE = "Mã xã, phường chỉ gồm chữ không dấu, số và dấu gạch ngang (tối đa 32 ký tự)."
BAD_KIND = "Loại không hợp lệ: «{kind}». Chọn xa, phuong hoặc dac_khu."
UNKNOWN_WARD = "Không có xã, phường mã «{code}». Các mã hiện có: {codes}."
WARD_INACTIVE = "{code} đã ngừng hoạt động trên hệ thống; mở lại bằng: ward reactivate {code}"
WHICH_WARD = ("Hệ thống đang phục vụ nhiều xã, phường; xin ghi rõ --ward MÃ. Các mã hiện có: "
              "{codes}.")
NO_ACTIVE_WARD = "Chưa có xã, phường nào đang hoạt động. Thêm bằng: python -m bot ward add"
CITY_INVITE_NO_WARD = "Mã mời cấp thành phố không gắn với xã, phường nào: bỏ --ward."
WARD_STOPPED = ("Xã, phường của đồng chí đã ngừng sử dụng hệ thống này. Mọi dữ liệu vẫn được "
                "giữ nguyên; xin liên hệ cán bộ quản trị của thành phố nếu cần dùng lại.")
