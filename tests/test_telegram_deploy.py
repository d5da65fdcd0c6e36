"""`python -m bot` as a community group deploys it: the README's steps against the Bot API stand-in, clean stops
on SIGTERM and SIGINT, one-line errors for a bad token, and the Docker and systemd files.

Docker cannot run here (no engine), so the image is checked by reading the Dockerfile and by running the build's
`python -m bot check` on exactly the files .dockerignore lets into the build context.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from botapi_standin import BotApiStandIn
from telegram_harness import start_bot_process, wait_for_exit

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEPLOY = README[README.index("## Deploy") :]
FOREIGN = "987654321:ANOTHERtokenANOTHERtokenANOTHERtok"  # well formed, unknown to the stand-in


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any bot setting, plus `extra`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    return {**base, "PYTHONUNBUFFERED": "1", **extra}


def fill_env_file(folder: Path, **values: str) -> Path:
    """README step 2: cp .env.example .env, then put values after their `NAME=`."""
    env_file = folder / ".env"
    shutil.copy(ROOT / ".env.example", env_file)
    text = env_file.read_text()
    for name, value in values.items():
        text, count = re.subn(rf"^{name}=.*$", f"{name}={value}", text, flags=re.MULTILINE)
        assert count == 1, f".env.example has no {name}= line"
    env_file.write_text(text)
    return env_file


def start_bot(folder: Path, **env: str) -> subprocess.Popen[str]:
    return start_bot_process(folder, clean_env(**env))


def stop(process: subprocess.Popen[str], sig: int) -> tuple[int, str]:
    process.send_signal(sig)
    return wait_for_exit(process, 15)


# ---------------------------------------------------------------------- the README's steps
def test_the_readme_deploy_steps_start_the_bot(tmp_path: Path) -> None:
    for step in (
        "@BotFather",
        "/newbot",
        "cp .env.example .env",
        "TELEGRAM_BOT_TOKEN=",
        "docker build",
        "--env-file .env",
    ):
        assert step in DEPLOY, step
    assert "deploy/community-crime-bot.service" in DEPLOY and "systemctl enable --now" in DEPLOY
    with BotApiStandIn() as api:
        fill_env_file(tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url)
        check = subprocess.run(
            [sys.executable, "-m", "bot", "check"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True
        )
        assert check.returncode == 0 and check.stdout.startswith("content OK"), check.stdout + check.stderr
        process = start_bot(tmp_path)
        try:
            api.wait_for_sync(lambda: api.polls > 0, 30, "the bot to start polling")
            assert api.commands, "the command menu is registered at start-up"
            api.text(1, "/start")
            api.text(1, "theres a man with a knife outside")
            api.wait_for_sync(lambda: len(api.sent(1)) >= 2, 10, "two replies")
        finally:
            code, err = stop(process, signal.SIGTERM)
        start, emergency = api.texts(1)
        assert "call 999" in start and emergency.startswith("Call 999")
    assert code == 0, err
    assert "Traceback" not in err
    assert api.token not in err and "knife" not in err
    assert "answering on Telegram as @" in err  # BOT_LOG_LEVEL=INFO in .env.example
    assert "Running on Telegram as @community_crime_test_bot (polling). Press Ctrl+C to stop." in err
    # Docker's 10 s default is too short to send what was received: the README's docker run gives 30.
    assert re.search(r"docker run [^\n]*--stop-timeout 30", DEPLOY)


def test_ctrl_c_stops_cleanly_and_answers_every_update_it_fetched(tmp_path: Path) -> None:
    with BotApiStandIn() as api:
        process = start_bot(tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url + "/bot")
        try:
            api.wait_for_sync(lambda: api.polls > 0, 30, "the bot to start polling")
            updates = {api.text(chat, "/numbers"): chat for chat in range(1, 6)}
            api.wait_for_sync(lambda: api.confirmed_offset > 0, 10, "the first updates fetched")
        finally:
            code, err = stop(process, signal.SIGINT)
        # Stopping confirms what was fetched (the offset); every one of those was answered, exactly once.
        fetched = [update for update in updates if update < api.confirmed_offset]
        assert fetched
        assert all(len(api.sent(updates[update])) == 1 for update in fetched), api.all_sent()
        assert sum(len(messages) for messages in api.all_sent().values()) == len(fetched)
    assert code == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


# ---------------------------------------------------------------------- one-line errors
def test_a_rejected_token_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    with BotApiStandIn() as api:
        fill_env_file(tmp_path, TELEGRAM_BOT_TOKEN=FOREIGN, TELEGRAM_BASE_URL=api.base_url, BOT_LOG_LEVEL="DEBUG")
        result = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60
        )
        assert [c.status for c in api.calls_to("getMe")] == [401]
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if "engine ready" not in line]
    assert len(lines) == 1, result.stderr
    assert "rejected TELEGRAM_BOT_TOKEN" in lines[0] and ".env" in lines[0]
    assert FOREIGN not in result.stderr and FOREIGN.split(":")[1] not in result.stderr


@pytest.mark.parametrize("token", ["not-a-token", "bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"])
def test_a_malformed_token_is_one_line_saying_where_to_put_it(tmp_path: Path, token: str) -> None:
    fill_env_file(tmp_path, TELEGRAM_BOT_TOKEN=token)
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "TELEGRAM_BOT_TOKEN" in line and ".env" in line and "BotFather" in line
    assert token not in line


def test_a_refused_webhook_is_a_short_error_not_a_traceback(tmp_path: Path) -> None:
    refusal = "Bad Request: bad webhook: HTTPS url must be provided for webhook"
    with BotApiStandIn() as api:
        api.fail_next("setWebhook", times=5, status=400, description=refusal)
        values = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url, "BOT_MODE": "webhook"}
        values |= {
            "BOT_WEBHOOK_URL": "http://127.0.0.1:9/hook",
            "BOT_WEBHOOK_SECRET": "s3cret",
            "BOT_LOG_LEVEL": "ERROR",
        }
        fill_env_file(tmp_path, **values)
        result = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and api.token not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Telegram refused to start the bot:") and "https url must be provided" in last.lower()


# ---------------------------------------------------------------------- Docker and systemd
def test_the_dockerfile_builds_a_checked_non_root_image() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines() if line.strip()]
    instructions = [line for line in lines if not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    assert any(line.startswith("RUN useradd") for line in instructions)
    assert "RUN pip install ." in instructions
    check, user = instructions.index("RUN python -m bot check"), instructions.index("USER bot")
    assert check < user
    assert instructions[-1] == 'CMD ["python", "-m", "bot"]'
    assert not any(".env" in line for line in instructions if line.startswith(("COPY", "ADD")))


def _in_build_context() -> list[Path]:
    """The files `docker build .` would send, by .dockerignore's rules (last matching pattern wins)."""
    patterns = [p for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip() and not p.startswith("#")]
    kept = []
    for path in ROOT.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(ROOT).as_posix()
        parts = relative.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        excluded = False
        for pattern in patterns:
            negate, pattern = pattern.startswith("!"), pattern.lstrip("!").removeprefix("**/")
            if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p.split("/")[-1], pattern) for p in prefixes):
                excluded = not negate
        if not excluded:
            kept.append(Path(relative))
    return kept


def test_dockerignore_keeps_secrets_out_and_the_build_check_passes_on_the_context(tmp_path: Path) -> None:
    context = _in_build_context()
    names = {p.as_posix() for p in context}
    assert not any(n == ".env" or n.startswith((".venv/", ".git/")) for n in names)
    assert {"pyproject.toml", "README.md", "intents.yaml", "bot/__main__.py", "content/replies.yaml"} <= names
    for relative in context:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=should-not-matter\n")  # as if someone left one behind
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=tmp_path,
        env=clean_env(PYTHONPATH=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("content OK")


def test_the_systemd_unit_runs_the_bot_as_its_own_user_and_restarts_it() -> None:
    unit = (ROOT / "deploy" / "community-crime-bot.service").read_text()
    for line in (
        "User=crimebot",
        "WorkingDirectory=/opt/community-crime-bot",
        "ExecStart=/opt/community-crime-bot/.venv/bin/python -m bot",
        "Restart=on-failure",
        "TimeoutStopSec=30",
        "RestartPreventExitStatus=2",
        "KillSignal=SIGTERM",
        "WantedBy=multi-user.target",
    ):
        assert line in unit.splitlines(), line
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "verify", str(ROOT / "deploy" / "community-crime-bot.service")],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        problems = [line for line in result.stderr.splitlines() if "is not executable" not in line and line.strip()]
        assert not problems, result.stderr
