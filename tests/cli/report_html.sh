# kefu report --html: one self-contained file whose three SVG charts are present and not
# empty, rendered by headless Chromium without console errors, and printed on A4.
# Skipped (77) when chromium is not installed (Debian package "chromium").
. "$(dirname "$0")/lib/common.sh"

kefu 0 import "$SAMPLES/inquiries.csv"
# Some answers, categories and template replies, so that every chart has something to draw.
sqlite3 "$KEFU_DB" "UPDATE inquiry SET category = id % 9;
                    UPDATE inquiry SET first_response_at = received_at + (id * 7919) % 200000 WHERE id % 3 <> 0;
                    INSERT INTO reply(inquiry_id, template_id, text, sent_at)
                      SELECT id, 'tpl_' || (id % 4), 'ok', received_at + 3600 FROM inquiry WHERE id % 2 = 0;"
kefu 0 report --since 30d --html "$T/report.html"
contains err "report written to $T/report.html"
same "$(cat "$T/out")" "" "nothing on stdout with --html"
same "$(stat -c %a "$T/report.html")" 600 "the report names customers: private file"

# One file, nothing fetched: no scripts, no external stylesheets, images or fonts.
python3 - "$T/report.html" <<'PY'
import re, sys, xml.etree.ElementTree as ET
html = open(sys.argv[1], encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>")
assert "<script" not in html.lower()
for attr in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html):
    raise AssertionError("external reference: " + attr)
assert "url(" not in html and "@import" not in html
assert "@page" in html and "A4" in html and "@media print" in html
svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
assert len(svgs) == 3, len(svgs)
names = []
for svg in svgs:
    root = ET.fromstring(svg)  # each chart is well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    names.append(root.get("aria-label"))
    bars = [r for r in root.iter(ns + "rect")
            if float(r.get("width", 0)) > 0 and float(r.get("height", 0)) > 0]
    assert bars, "empty chart: " + root.get("aria-label")
    view = [float(v) for v in root.get("viewBox").split()]
    for r in bars:  # inside the drawing
        assert 0 <= float(r.get("x")) and float(r.get("x")) + float(r.get("width")) <= view[2] + 0.5, r.attrib
        assert 0 <= float(r.get("y")) and float(r.get("y")) + float(r.get("height")) <= view[3] + 0.5, r.attrib
assert names == ["Messages per day, stacked by category", "Distribution of first-response times",
                 "Backlog by priority level"], names
PY

if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is not installed: rendering not checked" >&2
    trap - EXIT
    rm -rf "$T"
    exit 77
fi
chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-dev-shm-usage --user-data-dir="$(mktemp -d "$T/chrome-XXXXXX")" \
        --enable-logging=stderr --v=0 "$@" "file://$T/report.html"
}
chrome --window-size=900,2400 --screenshot="$T/report.png" >"$T/chrome.out" 2>"$T/chrome.err" ||
    fail "chromium could not render the report (see $T/chrome.err)"
# Console messages (script errors, failed loads) are logged as CONSOLE lines.
if grep -E "CONSOLE|Uncaught|Failed to load resource|ERR_FILE_NOT_FOUND" "$T/chrome.err"; then
    fail "console errors while rendering"
fi
python3 - "$T/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (900, 2400), (width, height)
assert len(data) > 20000, len(data)  # a blank page compresses to a few kilobytes
PY
chrome --no-pdf-header-footer --print-to-pdf="$T/report.pdf" >"$T/pdf.out" 2>"$T/pdf.err" ||
    fail "chromium could not print the report"
# A4 is 595 × 842 points.
grep -a -q "MediaBox \[0 0 59[45]\.[0-9]* 84[12]\.[0-9]*\]" "$T/report.pdf" || fail "not printed on A4"
