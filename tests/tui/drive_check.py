#!/usr/bin/env python3
"""Run `alertflow check` as a person does on a long search: progress lines, Ctrl-C, --quiet.

    tests/tui/drive_check.py ALERTFLOW_BINARY

The search is bench/all_switches_on.yaml at its 4 alerts, which XDR correlation makes far too
large to finish: it only ends by Ctrl-C or a limit. Checked:
  - on a terminal, a progress line about once a second on stderr (states, transitions, depth,
    rate, memory); Ctrl-C then stops the search cleanly: what was explored, every property that
    was not already violated `unknown` (never `holds`), why ("interrupted"), exit status 1 for
    the violations found before it (else 3);
  - on a terminal with --quiet, no progress line; Ctrl-C before any verdict: exit status 3 and
    "exploration incomplete (interrupted)" on stderr;
  - with stderr not a terminal (a pipe), no progress line, unless --progress.
The runs not stopped by Ctrl-C stop at --time-limit, so each lasts a known time on any machine
(a sanitizer build is slower, not longer).

Exit 0 when every check passes, 1 with the screen so far when one fails, 77 (CTest
SKIP_RETURN_CODE) when the binary does not exist, 2 on bad usage.
"""
import os
import re
import subprocess
import sys
import time

from terminal import check, has, run_sessions, terminal

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENDLESS = os.path.join(SOURCE_DIR, "bench", "all_switches_on.yaml")
PROGRESS = re.compile(r"^progress: \d+ states, \d+ transitions, depth \d+, [\d.]+ s \(\d+ states/s, \d+ threads?\), "
                      r"peak memory [\d.]+ MiB", re.M)
# A stopped search reports how far it got and never claims a property holds.
VERDICT = re.compile(r"^  [a-z-]+ +(holds|VIOLATED|unknown) ", re.M)


def verdicts(text):
    return VERDICT.findall(text)


def session_progress_then_ctrl_c(binary):
    """Two progress lines, then Ctrl-C: the report, unknown verdicts, the exit status."""
    with terminal([binary, "check", ENDLESS, "-j", "2"]) as t:
        started = time.monotonic()
        first = t.expect("progress: ")
        second = t.expect("progress: ", first)
        elapsed = time.monotonic() - started
        lines = PROGRESS.findall(t.screen)
        check(len(lines) >= 2, f"progress lines should name states, transitions, depth, rate and memory, got {t.screen[:300]!r}")
        check(len(lines) <= elapsed + 1, f"{len(lines)} progress lines in {elapsed:.1f} s: more than one a second")
        t.type("\x03", enter=False)  # Ctrl-C: the terminal sends SIGINT
        status = t.wait_exit()
        has(t.screen, "stopped early: interrupted", "the report after Ctrl-C")
        has(t.screen, "why unknown: interrupted", "the report after Ctrl-C")
        found = verdicts(t.screen)
        check(len(found) == 11, f"every property of the catalog should have a verdict line, got {found}")
        check("holds" not in found, f"an interrupted search must not say a property holds, got {found}")
        check("unknown" in found, f"an interrupted search leaves properties unknown, got {found}")
        # Violations found before Ctrl-C are real runs: they decide the exit status (1), else 3.
        wanted = 1 if "VIOLATED" in found else 3
        check(status == wanted, f"Ctrl-C after verdicts {found} should end check with exit status {wanted}, got {status}")
        if wanted == 3:
            has(t.screen, "alertflow: exploration incomplete (interrupted)", "the report after Ctrl-C")


def session_quiet_then_ctrl_c(binary):
    """--quiet: no progress line even on a terminal; Ctrl-C with nothing violated: exit 3."""
    with terminal([binary, "check", ENDLESS, "--quiet", "--property", "no-lost-alert"]) as t:
        t.read_for(1.5)
        check(t.status is None and "explored" not in t.screen, "the search ended on its own: it should not")
        t.type("\x03", enter=False)
        status = t.wait_exit()
        check("progress:" not in t.screen, "--quiet should print no progress line")
        check(verdicts(t.screen) == ["unknown"], f"an interrupted search leaves no-lost-alert unknown, got {verdicts(t.screen)}")
        has(t.screen, "why unknown: interrupted", "the report after Ctrl-C")
        has(t.screen, "alertflow: exploration incomplete (interrupted)", "the report after Ctrl-C")
        check(status == 3, f"Ctrl-C before any verdict should end check with exit status 3, got {status}")


def session_stderr_not_a_terminal(binary):
    """A pipe: no progress line by default, lines with --progress."""
    for extra, wanted in (([], False), (["--progress"], True)):
        run = subprocess.run([binary, "check", ENDLESS, "--property", "no-lost-alert", "--time-limit", "1.5", *extra],
                             capture_output=True, text=True, timeout=60)
        lines = PROGRESS.findall(run.stderr)
        check(run.returncode == 3, f"a time limit should end check with exit status 3, got {run.returncode}: {run.stderr}")
        if wanted:
            check(len(lines) >= 1, f"--progress should print progress lines to a pipe, got {run.stderr!r}")
        else:
            check(not lines, f"stderr that is not a terminal should get no progress line, got {run.stderr!r}")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} ALERTFLOW_BINARY\n")
        return 2
    binary = os.path.abspath(argv[1])
    return run_sessions("drive_check", binary, (
        ("progress lines, then Ctrl-C", lambda: session_progress_then_ctrl_c(binary)),
        ("--quiet on a terminal, then Ctrl-C", lambda: session_quiet_then_ctrl_c(binary)),
        ("stderr not a terminal, with and without --progress", lambda: session_stderr_not_a_terminal(binary)),
    ))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
