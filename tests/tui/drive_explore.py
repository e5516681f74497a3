#!/usr/bin/env python3
"""Drive `alertflow explore` on a real pseudo-terminal, as a person would.

    tests/tui/drive_explore.py ALERTFLOW_BINARY [CONFIG.yaml]

Runs the binary in a pty (python's standard `pty` module: no pexpect), waits for each prompt,
types commands, and checks the text on the screen: take an action, undo, jump to a violation
(the pick prompt included), show the path, help, quit with `q`, and end with Ctrl-D (the
terminal's end of input) with exit status 0 both ways. The terminal echoes what is typed, so the
command must appear once after its prompt (explore itself must not echo on a terminal).

Exit 0 when every check passes, 1 with the screen so far when one fails, 77 (CTest
SKIP_RETURN_CODE) when the binary does not exist, 2 on bad usage.
"""
import os
import pty
import select
import signal
import struct
import sys
import time

TIMEOUT = float(os.environ.get("TIMEOUT", "30"))
PROMPT = "explore> "
PICK = "violation> "


class Failure(Exception):
    pass


class Terminal:
    """One program on a pseudo-terminal: what it has written so far, and a way to type."""

    def __init__(self, argv):
        self.screen = ""
        self.status = None
        pid, fd = pty.fork()
        if pid == 0:  # the child: its stdin, stdout and stderr are the pty's slave side
            try:
                os.execv(argv[0], argv)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        try:  # a usual terminal size; the program does not depend on it
            import fcntl
            import termios
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        except OSError:
            pass

    def _read(self, deadline):
        """Reads what is available until the deadline; False at end of output."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return True
        ready, _, _ = select.select([self.fd], [], [], remaining)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed the terminal (exited)
            return False
        if not data:
            return False
        self.screen += data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return True

    def expect(self, text, since=0):
        """Waits until `text` appears on the screen after position `since`; returns where it ends."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            at = self.screen.find(text, since)
            if at >= 0:
                return at + len(text)
            if time.monotonic() >= deadline:
                raise Failure(f"timed out after {TIMEOUT:.0f} s waiting for {text!r}")
            if not self._read(deadline):
                at = self.screen.find(text, since)
                if at >= 0:
                    return at + len(text)
                raise Failure(f"the program ended before {text!r} appeared")

    def prompt(self, since, prompt=PROMPT):
        """Waits for the next prompt after `since`; returns the text before it and its end."""
        end = self.expect(prompt, since)
        return self.screen[since:end - len(prompt)], end

    def type(self, line, enter=True):
        os.write(self.fd, (line + ("\r" if enter else "")).encode())

    def wait_exit(self):
        """Reads to the end of output and returns the exit status."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(deadline):
            if time.monotonic() >= deadline:
                raise Failure(f"the program did not exit within {TIMEOUT:.0f} s")
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            time.sleep(0.05)
        raise Failure(f"the program did not exit within {TIMEOUT:.0f} s")

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def has(block, text, what):
    check(text in block, f"{what}: expected {text!r} on the screen")


def session_step_undo_jump_path_eof(binary, config):
    """1, u, v + pick, p, then Ctrl-D."""
    t = Terminal([binary, "explore", config])
    try:
        shown, pos = t.prompt(0)
        has(shown, "alertflow explore ", "start")
        has(shown, "State after 0 step(s):", "start")
        has(shown, "  alert A1: not raised", "start")
        has(shown, "Enabled actions:\n  1. Defender for Cloud raises alert A1 in subscription S1 (optional)", "start")

        t.type("1")
        shown, pos = t.prompt(pos)
        check(shown.startswith("1\n"), f"the terminal should echo '1' once after the prompt, got {shown[:40]!r}")
        check(not shown.startswith("1\n1\n"), "the command was echoed twice (explore must not echo on a terminal)")
        has(shown, "1. Defender for Cloud raises alert A1 in subscription S1\n   changed: ", "action 1")
        has(shown, "State after 1 step(s):", "action 1")
        has(shown, "MDC Active", "action 1")

        t.type("u")
        shown, pos = t.prompt(pos)
        has(shown, "undid step 1: Defender for Cloud raises alert A1", "undo")
        has(shown, "State after 0 step(s):", "undo")

        t.type("v")
        shown, pos = t.prompt(pos, PICK)
        has(shown, "Violated properties (shortest counterexample):", "v")
        has(shown, "1. exactly-one-incident (5 step(s))", "v")
        t.type("1")
        shown, pos = t.prompt(pos)
        has(shown, "Replaying the shortest counterexample of exactly-one-incident from the set-up, 5 step(s):", "jump")
        has(shown, "State after 5 step(s):", "jump")
        has(shown, "Violated here: no-duplicate-incident (invariant)", "jump")

        t.type("p")
        shown, pos = t.prompt(pos)
        has(shown, "Path so far, 5 step(s):\n  0. set-up: ", "path")
        has(shown, "  5. incident creation rule creates the Azure Sentinel incident for A1", "path")

        t.type("\x04", enter=False)  # Ctrl-D at the start of a line: end of input
        status = t.wait_exit()
        check(status == 0, f"Ctrl-D should end explore with exit status 0, got {status}")
    except Failure:
        sys.stderr.write(t.screen[-4000:])
        raise
    finally:
        t.close()


def session_help_quit(binary, config):
    """h, an unknown command, then q."""
    t = Terminal([binary, "explore", config])
    try:
        _, pos = t.prompt(0)
        t.type("h")
        shown, pos = t.prompt(pos)
        has(shown, "Commands:", "help")
        has(shown, "v N|ID", "help")
        t.type("zz")
        shown, pos = t.prompt(pos)
        has(shown, "unknown command 'zz' (h for help)", "unknown command")
        t.type("q")
        status = t.wait_exit()
        has(t.screen[pos:], "bye", "quit")
        check(status == 0, f"q should end explore with exit status 0, got {status}")
    except Failure:
        sys.stderr.write(t.screen[-4000:])
        raise
    finally:
        t.close()


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(f"usage: {argv[0]} ALERTFLOW_BINARY [CONFIG.yaml]\n")
        return 2
    binary = os.path.abspath(argv[1])
    source_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    config = argv[2] if len(argv) == 3 else os.path.join(source_dir, "configs", "b12_xdr_connector_plus_rule.yaml")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        sys.stderr.write(f"drive_explore: SKIP: {binary}: no such executable\n")
        return 77
    for name, session in (("step, undo, jump, path, Ctrl-D", session_step_undo_jump_path_eof),
                          ("help, unknown command, q", session_help_quit)):
        try:
            session(binary, config)
        except Failure as failure:
            sys.stderr.write(f"\ndrive_explore: FAIL in session '{name}': {failure}\n")
            return 1
        print(f"drive_explore: ok: {name}")
    print("drive_explore: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
