"""A program on a real pseudo-terminal, as a person runs it: what it has written to the screen
so far, a way to type (Ctrl-C and Ctrl-D included: the terminal turns them into SIGINT and end of
input), and its exit status. Python's standard `pty` module only, no pexpect.

Shared by the scripts in this folder, which CTest runs (see tests/CMakeLists.txt).
"""
import contextlib
import os
import pty
import select
import signal
import struct
import sys
import time

TIMEOUT = float(os.environ.get("TIMEOUT", "30"))


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

    def read_for(self, seconds):
        """Reads what the program writes for that many seconds (fewer if it ends)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._read(deadline):
            pass

    def prompt(self, since, prompt):
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


@contextlib.contextmanager
def terminal(argv):
    """A Terminal running argv for the `with` block; on a Failure the end of its screen goes to
    stderr, and the program is killed if it is still running."""
    t = Terminal(argv)
    try:
        yield t
    except Failure:
        sys.stderr.write(t.screen[-4000:])
        raise
    finally:
        t.close()


def run_sessions(script, binary, sessions):
    """Runs each (name, session) in turn, session() raising Failure when a check fails. Returns
    the script's exit status: 0 when all pass, 1 at the first failure, 77 (CTest
    SKIP_RETURN_CODE) when the binary does not exist."""
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        sys.stderr.write(f"{script}: SKIP: {binary}: no such executable\n")
        return 77
    for name, session in sessions:
        try:
            session()
        except Failure as failure:
            sys.stderr.write(f"\n{script}: FAIL in session '{name}': {failure}\n")
            return 1
        print(f"{script}: ok: {name}")
    print(f"{script}: OK")
    return 0
