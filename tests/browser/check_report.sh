#!/usr/bin/env bash
# Browser test of `alertflow report`: the page renders in a real headless Chromium, offline, with
# every counterexample's sequence diagram in the DOM, no error text and no console message at all
# (the page has no script, so any console line is a CSP violation or a parse error), and a
# screenshot a person can look at.
#
#   tests/browser/check_report.sh ALERTFLOW_BINARY WORK_DIR
#
# Leaves in WORK_DIR: report.html, report.dom.html (the DOM after rendering), report.png
# (1280x2000 screenshot) and the Chromium logs. Exit 0 on success, 1 on a failed check with a
# message saying which, 77 (CTest SKIP_RETURN_CODE) when Chromium is not installed.
# CHROMIUM=/path/to/chromium overrides the browser; TIMEOUT (seconds, default 120) bounds each run.
set -uo pipefail

fail() { echo "check_report: FAIL: $*" >&2; exit 1; }
note() { echo "check_report: $*"; }

[ $# -eq 2 ] || { echo "usage: $0 ALERTFLOW_BINARY WORK_DIR" >&2; exit 2; }
alertflow=$1
work=$2
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
config="$source_dir/configs/b12_xdr_connector_plus_rule.yaml"
timeout_s=${TIMEOUT:-120}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
  done
fi
if [ -z "$browser" ] || [ ! -x "$browser" ]; then
  echo "check_report: SKIP: Chromium is not installed (apt-get install chromium)" >&2
  exit 77
fi
[ -x "$alertflow" ] || fail "$alertflow: no such executable (build the alertflow target first)"
[ -f "$config" ] || fail "$config: missing"

mkdir -p "$work" || fail "cannot create $work"
work=$(cd "$work" && pwd)
report="$work/report.html"
dom="$work/report.dom.html"
png="$work/report.png"
rm -f "$report" "$dom" "$png" "$work"/chromium-*.log "$work/canary.html"

profiles=()
cleanup() { for p in "${profiles[@]}"; do rm -rf "$p"; done; }
trap cleanup EXIT

# chromium_run LOG ARGS...: one headless run with a fresh profile, every console message on stderr.
chromium_run() {
  local log=$1; shift
  local profile
  profile=$(mktemp -d "${TMPDIR:-/tmp}/alertflow-chromium.XXXXXX") || fail "mktemp failed"
  profiles+=("$profile")
  timeout "$timeout_s" "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@" 2>"$log"
}

# Console messages (any level: Chromium logs them all as "INFO:CONSOLE"), uncaught exceptions,
# refused loads.
console_problems() { grep -E '[A-Z]+:CONSOLE|Uncaught|Refused to|Content Security Policy' "$1"; }

# 0. The detector must see a console error on a page that has one, or a pass would mean nothing.
cat >"$work/canary.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>canary</title></head>
<body><p>canary</p><script>alertflow_canary_no_such_function();</script></body></html>
EOF
chromium_run "$work/chromium-canary.log" --dump-dom "file://$work/canary.html" >/dev/null \
  || fail "Chromium did not run (exit $?); see $work/chromium-canary.log"
[[ $(console_problems "$work/chromium-canary.log") == *alertflow_canary_no_such_function* ]] \
  || fail "Chromium's log does not show console errors (--enable-logging=stderr); see $work/chromium-canary.log"

# 1. The report: b12 violates properties, so `report` exits 1 and still writes the file.
"$alertflow" report "$config" -o "$report" >"$work/alertflow-report.out" 2>&1
code=$?
[ "$code" -eq 1 ] || fail "alertflow report exited $code, expected 1 (b12 has violations); see $work/alertflow-report.out"
[ -s "$report" ] || fail "$report was not written"
if grep -Eiq '<script[^>]*src=|<link[^>]*href=|@import|url\(["'\'']?https?:|(src|href)=["'\'']?https?:' "$report"; then
  fail "$report refers to something outside itself"
fi

# 2. The DOM after rendering.
chromium_run "$work/chromium-dom.log" --dump-dom "file://$report" >"$dom" \
  || fail "Chromium --dump-dom failed (exit $?); see $work/chromium-dom.log"
[ -s "$dom" ] || fail "Chromium produced an empty DOM; see $work/chromium-dom.log"
grep -q '<title>alertflow report' "$dom" || fail "the rendered DOM has no alertflow report title (an error page?); see $dom"
if grep -Eiq 'chrome-error://|ERR_[A-Z_]+|This site can.t be reached|Your file couldn.t be accessed' "$dom"; then
  fail "the rendered DOM is a browser error page; see $dom"
fi
violated=$(grep -o 'data-verdict="violated"' "$dom" | wc -l)
holds=$(grep -o 'data-verdict="holds"' "$dom" | wc -l)
svgs=$(grep -o '<svg' "$dom" | wc -l)
sections=$(grep -o '<section class="counterexample"' "$dom" | wc -l)
[ $((violated + holds)) -ge 11 ] || fail "the verdict table has $((violated + holds)) rows, expected a row per catalog property"
[ "$violated" -ge 1 ] || fail "no violated property in the DOM, but b12 violates some"
[ "$sections" -eq "$violated" ] || fail "$sections counterexample sections for $violated violated properties"
[ "$svgs" -eq "$violated" ] || fail "$svgs <svg> diagrams in the DOM for $violated violated properties"
for id in $(grep -o 'data-property="[a-z-]*" data-verdict="violated"' "$dom" | sed 's/data-property="\([a-z-]*\)".*/\1/'); do
  # The diagram sits inside the property's own section.
  section=$(sed -n "/<section class=\"counterexample\" id=\"cx-$id\"/,/<\/section>/p" "$dom")
  [[ $section == *"<svg"* ]] || fail "the counterexample section of $id has no <svg> diagram"
done
if console_problems "$work/chromium-dom.log" >/dev/null; then
  console_problems "$work/chromium-dom.log" >&2
  fail "console messages while rendering the report (above); see $work/chromium-dom.log"
fi

# 3. The screenshot: it exists, is a PNG of the window's size, and is not blank.
chromium_run "$work/chromium-screenshot.log" --screenshot="$png" --window-size=1280,2000 "file://$report" >/dev/null \
  || fail "Chromium --screenshot failed (exit $?); see $work/chromium-screenshot.log"
[ -f "$png" ] || fail "no screenshot at $png"
size=$(stat -c %s "$png")
[ "$size" -gt 10240 ] || fail "$png is only $size bytes: a blank page?"
[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$png is not a PNG"
dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
[ "$dims" = "1280x2000" ] || fail "$png is $dims, expected 1280x2000"
if console_problems "$work/chromium-screenshot.log" >/dev/null; then
  console_problems "$work/chromium-screenshot.log" >&2
  fail "console messages while taking the screenshot (above); see $work/chromium-screenshot.log"
fi

note "OK: $violated violated properties, $svgs diagrams in the DOM, $holds holding; screenshot $png ($size bytes, $dims)"
exit 0
