#!/usr/bin/env python3
"""`make run`: daphne, one task worker (`manage.py db_worker`) and the scheduler (`manage.py run_schedule`,
which queues the reminders and purges on time), started together, stopped together.

Each child runs in its own process group, so that stopping it also stops what it started (the
worker's auto-reloader runs the worker in a child process of its own). Ctrl-C or SIGTERM stops all
three; if any exits by itself, the others are stopped too and this script exits with its code. Nothing
is left running.

    .venv/bin/python scripts/run_dev.py [--host 127.0.0.1] [--port 8000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def stop(proc: subprocess.Popen, *, grace: float = 10) -> None:
    """SIGTERM to the child's whole process group, then SIGKILL after `grace` seconds."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args(argv)

    commands = {
        "web": [str(BIN / "daphne"), "-b", args.host, "-p", str(args.port), "hub.asgi:application"],
        "worker": [sys.executable, "manage.py", "db_worker", "--interval", "1"],
        "scheduler": [sys.executable, "manage.py", "run_schedule"],
    }
    children: dict[str, subprocess.Popen] = {}
    stopping = {"signal": None}

    def on_signal(signum, frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for name, command in commands.items():
            children[name] = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        print(f"web (daphne) pid {children['web'].pid}, task worker pid {children['worker'].pid}, "
              f"scheduler pid {children['scheduler'].pid}", flush=True)
        code = 0
        while stopping["signal"] is None:
            ended = [(name, proc.returncode) for name, proc in children.items() if proc.poll() is not None]
            if ended:
                name, code = ended[0]
                print(f"the {name} process exited ({code}); stopping the others", file=sys.stderr, flush=True)
                break
            time.sleep(0.2)
    finally:
        for proc in children.values():
            stop(proc)
    return code if stopping["signal"] is None else 0


if __name__ == "__main__":
    sys.exit(main())
