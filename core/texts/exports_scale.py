"""Vietnamese strings of the compact DOCX report, used when a ward has many units (city scale).

The full list of every unit's result stays in the XLSX workbook; the DOCX points there."""

from __future__ import annotations

COMPACT_NOTE = (
    "Do số lượng cơ quan, đơn vị báo cáo lớn ({total} đơn vị), mỗi nhiệm vụ nêu số lượng theo "
    "tình trạng và các nội dung được nhiều đơn vị báo cáo nhất; kết quả chi tiết của từng "
    "đơn vị trong tệp XLSX (/xuat)."
)
# One grouped text: the text, then who reported it.
GROUP_LINE = "- {text} ({units})."
# Who reported a text, when the list is long: the first names, then how many more.
UNITS_AND_MORE = "{names} và {count} đơn vị khác"
# After the most frequent texts of a task: the units whose texts were not listed.
REST_LINE = "… và {count} đơn vị khác — chi tiết trong tệp XLSX (/xuat)."
# The late / not-submitted lists as one paragraph: names separated by semicolons.
NAME_SEPARATOR = "; "
