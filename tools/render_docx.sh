#!/usr/bin/env bash
# Render a generated DOCX to PNG pages for a visual check against the layout of Nghị định
# 30/2020/NĐ-CP, Phụ lục I (margins, fonts, the header table, the signature block), as
# services/exports/docx_layout.py applies it. For reviewers; not run in CI.
# Needs: libreoffice-writer (or -nogui), poppler-utils, and a Times New Roman metric-compatible
# font such as fonts-liberation (Liberation Serif).
# Usage: tools/render_docx.sh REPORT.docx [OUT_DIR]   → OUT_DIR/REPORT-1.png, -2.png, …
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1" ]]; then
    echo "Cách dùng: $0 TỆP.docx [THƯ_MỤC_KẾT_QUẢ]" >&2
    exit 2
fi
docx_file=$1
out_dir=${2:-$(dirname "$docx_file")}
mkdir -p "$out_dir"
base=$(basename "${docx_file%.*}")

# A private LibreOffice profile: no clash with a running office, no first-start dialogs.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf \
    --outdir "$out_dir" "$docx_file" >/dev/null
pdftoppm -png -r "${DPI:-80}" "$out_dir/$base.pdf" "$out_dir/$base"
ls -1 "$out_dir/$base"*.png
