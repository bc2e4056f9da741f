"""Helpers of the `core` tests."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, timeout: float = 120) -> str:
    """`code` run by a Python of its own (nothing imported yet, no thread another test left),
    its printed output; a failure in it fails the test with its traceback."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
