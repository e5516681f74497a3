#!/usr/bin/env python3
"""Drive `alertflow explore` on a real pseudo-terminal, as a person would.

    tests/tui/drive_explore.py ALERTFLOW_BINARY [CONFIG.yaml]

Runs the binary in a pty (terminal.py), waits for each prompt,
types commands, and checks the text on the screen: take an action, undo, jump to a violation
(the pick prompt included), show the path, help, quit with `q`, and end with Ctrl-D (the
terminal's end of input) with exit status 0 both ways. The terminal echoes what is typed, so the
command must appear once after its prompt (explore itself must not echo on a terminal).

Exit 0 when every check passes, 1 with the screen so far when one fails, 77 (CTest
SKIP_RETURN_CODE) when the binary does not exist, 2 on bad usage.
"""
import os
import sys

from terminal import check, has, run_sessions, terminal

PROMPT = "explore> "
PICK = "violation> "


def session_step_undo_jump_path_eof(binary, config):
    """1, u, v + pick, p, then Ctrl-D."""
    with terminal([binary, "explore", config]) as t:
        shown, pos = t.prompt(0, PROMPT)
        has(shown, "alertflow explore ", "start")
        has(shown, "State after 0 step(s):", "start")
        has(shown, "  alert A1: not raised", "start")
        has(shown, "Enabled actions:\n  1. Defender for Cloud raises alert A1 in subscription S1 (optional)", "start")

        t.type("1")
        shown, pos = t.prompt(pos, PROMPT)
        check(shown.startswith("1\n"), f"the terminal should echo '1' once after the prompt, got {shown[:40]!r}")
        check(not shown.startswith("1\n1\n"), "the command was echoed twice (explore must not echo on a terminal)")
        has(shown, "1. Defender for Cloud raises alert A1 in subscription S1\n   changed: ", "action 1")
        has(shown, "State after 1 step(s):", "action 1")
        has(shown, "MDC Active", "action 1")

        t.type("u")
        shown, pos = t.prompt(pos, PROMPT)
        has(shown, "undid step 1: Defender for Cloud raises alert A1", "undo")
        has(shown, "State after 0 step(s):", "undo")

        t.type("v")
        shown, pos = t.prompt(pos, PICK)
        has(shown, "Violated properties (shortest counterexample):", "v")
        has(shown, "1. exactly-one-incident (5 step(s))", "v")
        t.type("1")
        shown, pos = t.prompt(pos, PROMPT)
        has(shown, "Replaying the shortest counterexample of exactly-one-incident from the set-up, 5 step(s):", "jump")
        has(shown, "State after 5 step(s):", "jump")
        has(shown, "Violated here: no-duplicate-incident (invariant)", "jump")

        t.type("p")
        shown, pos = t.prompt(pos, PROMPT)
        has(shown, "Path so far, 5 step(s):\n  0. set-up: ", "path")
        has(shown, "  5. incident creation rule creates the Azure Sentinel incident for A1", "path")

        t.type("\x04", enter=False)  # Ctrl-D at the start of a line: end of input
        status = t.wait_exit()
        check(status == 0, f"Ctrl-D should end explore with exit status 0, got {status}")


def session_help_quit(binary, config):
    """h, an unknown command, then q."""
    with terminal([binary, "explore", config]) as t:
        _, pos = t.prompt(0, PROMPT)
        t.type("h")
        shown, pos = t.prompt(pos, PROMPT)
        has(shown, "Commands:", "help")
        has(shown, "v N|ID", "help")
        t.type("zz")
        shown, pos = t.prompt(pos, PROMPT)
        has(shown, "unknown command 'zz' (h for help)", "unknown command")
        t.type("q")
        status = t.wait_exit()
        has(t.screen[pos:], "bye", "quit")
        check(status == 0, f"q should end explore with exit status 0, got {status}")


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(f"usage: {argv[0]} ALERTFLOW_BINARY [CONFIG.yaml]\n")
        return 2
    binary = os.path.abspath(argv[1])
    source_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    config = argv[2] if len(argv) == 3 else os.path.join(source_dir, "configs", "b12_xdr_connector_plus_rule.yaml")
    return run_sessions("drive_explore", binary, (
        ("step, undo, jump, path, Ctrl-D", lambda: session_step_undo_jump_path_eof(binary, config)),
        ("help, unknown command, q", lambda: session_help_quit(binary, config)),
    ))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
