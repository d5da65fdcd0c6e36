"""`classify --explain` shows what decided each route, on stdout only, never in a log."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_explain_shows_the_rule_the_classifier_and_the_decision() -> None:
    lines = "oh no someone is breaking into my house right now\nmy dad has gone grey and sweaty\nhello\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "classify", "--explain"],
        cwd=ROOT,
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "LOG_LEVEL": "DEBUG"},
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["route"] for r in records] == ["call_999", "call_999", "info"]
    first, second = records[0]["explain"], records[1]["explain"]
    assert first["rule"] == "breaking into" and first["decided_by"] == "rule" and first["urgent"] is True
    assert second["rule"] is None and second["decided_by"].startswith("classifier")
    assert second["classifier"][0][0] == "medical_emergency" and second["p_999"] >= 0.5
    # The explanation, like the message, never reaches the log.
    assert "grey and sweaty" not in done.stderr and "p_999" not in done.stderr


def test_without_explain_the_contract_is_unchanged() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "classify"],
        cwd=ROOT,
        input="hello\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert set(json.loads(done.stdout)) == {"text", "intent", "route", "area", "reply", "buttons"}
