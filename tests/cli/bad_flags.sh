#!/usr/bin/env bash
# The command line's own errors, through the built binary (main.cpp's parsing is tested nowhere
# else): each bad flag gets one line on stderr that names it and says what is wrong, exit code 2,
# and nothing on stdout; and limits too large to matter are no limit, not undefined behaviour
# (which the sanitizer build reports as "runtime error"). Usage: bad_flags.sh ALERTFLOW CONFIG
set -u
bin=$1 config=$2 failed=0

expect() {  # expect MESSAGE ARG...: the run says MESSAGE in its one line and exits 2
    local want=$1 out err rc
    shift
    err=$(mktemp)
    out=$("$bin" "$@" 2>"$err")
    rc=$?
    if [[ $rc -ne 2 || -n $out || $(wc -l <"$err") -ne 1 || $(cat "$err") != *"$want"* ]]; then
        echo "FAIL: alertflow $*: exit $rc, stdout '$out', stderr '$(cat "$err")' (wanted exit 2 and one line with '$want')"
        failed=1
    fi
    rm -f "$err"
}

expect "--max-states: must be a whole number more than 0, not 0" check "$config" --max-states 0
expect "--max-states: must be a whole number more than 0, not -5" check "$config" --max-states -5
expect "--max-states: must be a whole number more than 0, not 1.5" check "$config" --max-states 1.5
expect "--time-limit: must be more than 0, not 0" check "$config" --time-limit 0
expect "--time-limit: not a number: soon" check "$config" --time-limit soon
expect "--max-memory: must be more than 0, not -1" check "$config" --max-memory -1
expect "--threads: must be a whole number from 1 to 512, not 0" check "$config" -j 0
expect "--threads: must be a whole number from 1 to 512, not 100000" check "$config" -j 100000
expect "--threads: must be a whole number from 1 to 512, not 100000" matrix -j 100000
expect "--threads: must be a whole number from 1 to 512, not 100000" explain "$config" -p no-lost-alert -j 100000
expect "--steps: must be a whole number, at least 0, not -1" simulate "$config" --steps -1
expect "--steps: must be a whole number, at least 0, not 2.5" simulate "$config" --steps 2.5
expect "--max-states: must be a whole number more than 0, not 0.5" matrix --max-states 0.5
expect "--quiet excludes --progress" check "$config" --quiet --progress
expect "--format: " check "$config" --format yaml
expect "--no-such-flag" check "$config" --no-such-flag
# all_connectors' no-lost-alert holds (its cutoff explores 189 states): exit 0, nothing undefined.
err=$(mktemp)
"$bin" check "$config" -p no-lost-alert --max-memory 1e30 --time-limit 1e30 --max-states 99999999999999999999 >/dev/null 2>"$err"
rc=$?
if [[ $rc -ne 0 || $(cat "$err") == *"runtime error"* ]]; then
    echo "FAIL: limits too large to matter: exit $rc (wanted 0), stderr '$(cat "$err")'"
    failed=1
fi
rm -f "$err"
exit $failed
