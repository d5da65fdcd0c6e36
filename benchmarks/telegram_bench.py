"""Telegram benchmark: messages from many chats through the real bot and the Bot API stand-in (real HTTP, real
long polling, real handlers), checking that every message is answered exactly once and in order in its chat.
The bot runs in its own process through `telegram.run`, as `python -m bot` runs it; the stand-in, the clock and
the checks run here. Besides throughput and latency it reports the bot's CPU time per update (its ceiling is
about 1000 / that many updates a second on one core), the stand-in's, and the bot's peak memory.

    python benchmarks/telegram_bench.py [--chats 100] [--messages 1000] [--rate 0] [--telegram-limits] [--json]

--rate 0 sends everything at once (a burst: latency then includes the wait in the queue); --rate N sends N
messages a second, spread over the chats. Rate limits are off unless --telegram-limits applies Telegram's own
(30 messages a second for the bot, 20 a minute per group), which then set the ceiling. The flood guard is off:
10 messages at once from one chat is exactly what it is there to stop.

Prints figures; asserts nothing about timing. Exits 1 if a message was not answered exactly once and in order.

    python benchmarks/telegram_bench.py --durability [--json]

measures what a crash and a stop cost, with Telegram's rate limits on: messages never answered after a kill -9
two seconds into a burst of 300 from 30 chats and a restart; the time SIGTERM takes to answer what was fetched
and exit, two seconds into a burst of 1,000 from 100 chats; and the time from getUpdates answering 401 (a token
revoked) to the process exiting by itself, and its status.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from botapi_standin import BotApiStandIn  # noqa: E402
from engine_bench import MESSAGES as ENGINE_MESSAGES  # noqa: E402
from telegram_harness import covered  # noqa: E402

from bot.__main__ import configure_logging  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.frontends import telegram  # noqa: E402
from bot.frontends.telegram import RetryingRateLimiter  # noqa: E402

# The engine benchmark's messages (a mix of routes, lengths and spellings), less the empty one Telegram cannot
# carry; each chat starts at a different one.
MESSAGES = [text for text in ENGINE_MESSAGES if text.strip()]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def script(chats: int, messages: int) -> list[tuple[int, str]]:
    """(chat id, text) in sending order: round-robin over the chats, each chat's own messages in sequence."""
    per_chat = [[] for _ in range(chats)]
    for n in range(messages):
        chat = n % chats
        per_chat[chat].append(MESSAGES[(chat + len(per_chat[chat])) % len(MESSAGES)])
    order = []
    for index in range(max(map(len, per_chat))):
        order += [(chat + 1, texts[index]) for chat, texts in enumerate(per_chat) if index < len(texts)]
    return order


def run_bot(base_url: str, token: str, telegram_limits: bool, log_level: str = "WARNING", flood: int = 0) -> int:
    """The bot's own process, as in production (`telegram.run`, what `python -m bot` runs) until SIGTERM; only
    the rate limits and the flood guard differ."""
    configure_logging(log_level, token)  # as `python -m bot` does
    limits = {} if telegram_limits else {"overall_max_rate": 0, "group_max_rate": 0}
    settings = Settings(telegram_bot_token=token, telegram_base_url=base_url, flood_messages=flood)
    return telegram.run(settings, Engine(load_content(ROOT)), rate_limiter=RetryingRateLimiter(**limits))


def bench(args: argparse.Namespace, engine: Engine) -> dict[str, object]:
    plan = script(args.chats, args.messages)
    expected: dict[int, list[str]] = {}
    states: dict[int, object] = {}
    for chat, text in plan:  # what the engine itself answers, in each chat's order
        state = states.setdefault(chat, engine.new_state())
        expected.setdefault(chat, []).append(engine.handle(state, text).text)
    # This process is the measuring instrument (the stand-in and the clock): keep its garbage collector from
    # pausing the stand-in mid-run, as it would otherwise walk the engine built just above.
    gc.collect()
    gc.freeze()
    gc.disable()
    with BotApiStandIn() as api:
        # The bot runs in its own process, as it would against Telegram; the stand-in and the clock are here.
        command = [sys.executable, __file__, "--run-bot", api.base_url, api.token]
        bot = subprocess.Popen(command + (["--telegram-limits"] if args.telegram_limits else []))
        usage = None
        try:
            api.wait_for_sync(lambda: api.polls > 0, 60, "the bot to start polling")
            cpu_before = _cpu_of(bot.pid)
            here_before = time.process_time()
            sent_by_update: dict[int, int] = {}
            start = time.perf_counter()
            for number, (chat, text) in enumerate(plan):
                if args.rate:
                    time.sleep(max(0.0, start + number / args.rate - time.perf_counter()))
                sent_by_update[api.text(chat, text)] = chat
            api.wait_for_sync(lambda: api.sent_count >= len(plan), args.timeout, f"{len(plan)} replies")
            cpu_after = _cpu_of(bot.pid)
            here_cpu = time.process_time() - here_before
            time.sleep(0.3)  # room for a duplicate to show up
        finally:
            bot.send_signal(signal.SIGTERM)
            try:
                usage = _wait4(bot, 30)[2]
            finally:
                gc.enable()
        replies = api.calls_to("sendMessage")

    # Exactly once and in order: each chat's replies are, one for one, what the engine answers in that order.
    got = {chat: [m["text"] for m in messages] for chat, messages in api.all_sent().items()}
    wrong = [chat for chat in expected if got.get(chat) != expected[chat]]
    # The k-th reply in a chat answers the k-th message sent to it.
    injected: dict[int, list[float]] = {}
    for update, chat in sorted(sent_by_update.items()):
        injected.setdefault(chat, []).append(api.injected_at[update])
    answered: dict[int, list[float]] = {}
    for call in replies:
        if call.status == 200:
            answered.setdefault(int(call.params["chat_id"]), []).append(call.at)
    latencies = [
        (reply - sent) * 1000
        for chat, times in answered.items()
        for sent, reply in zip(injected[chat], times, strict=False)
    ]
    first, last = min(api.injected_at.values()), max(c.at for c in replies)
    bot_cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return {
        "chats": args.chats,
        "messages": len(plan),
        "rate": args.rate or "burst",
        "rate_limits": "telegram" if args.telegram_limits else "none",
        "answered": sum(map(len, got.values())),
        "exactly_once_in_order": not wrong and bot.returncode == 0,
        "bot_exit": bot.returncode,
        "wrong_chats": wrong[:10],
        "seconds": round(last - first, 3),
        "updates_per_second": round(len(plan) / (last - first), 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        # Where the time went: the bot's CPU per update (its ceiling is about 1000 / this, per core), and the
        # stand-in's (it shares the machine's cores with the bot).
        "bot_cpu_ms_per_update": None if bot_cpu is None else round(bot_cpu * 1000 / len(plan), 2),
        "standin_cpu_ms_per_update": round(here_cpu * 1000 / len(plan), 2),
        "bot_peak_mb": None if usage is None else round(usage.ru_maxrss / 1024, 1),
    }


def _start_bot(api: BotApiStandIn) -> subprocess.Popen[str]:
    """The bot with Telegram's limits and the default flood guard, logging each answer (INFO) on stderr."""
    command = [sys.executable, __file__, "--run-bot", api.base_url, api.token, "--telegram-limits", "--log-info"]
    bot = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    api.wait_for_sync(lambda: api.polls > 0, 60, "the bot to start polling")
    return bot


def _burst(api: BotApiStandIn, chats: int, messages: int) -> list[int]:
    return [api.text(1 + n % chats, MESSAGES[n % len(MESSAGES)]) for n in range(messages)]


def _sigterm(bot: subprocess.Popen[str]) -> tuple[float, int, str]:
    """Seconds from SIGTERM to exit, the exit status and stderr."""
    started = time.perf_counter()
    bot.send_signal(signal.SIGTERM)
    _, err = bot.communicate(timeout=120)
    return time.perf_counter() - started, bot.returncode, err


def durability() -> dict[str, object]:
    """kill -9 mid-burst and a restart; SIGTERM mid-burst; a token revoked while running (see the docstring)."""
    with BotApiStandIn() as api:
        bot = _start_bot(api)
        ids = _burst(api, 30, 300)
        time.sleep(2)
        bot.kill()
        before = covered(bot.communicate(timeout=30)[1].splitlines())
        confirmed = api.confirmed_offset
        bot = _start_bot(api)
        api.wait_for_sync(lambda: api.confirmed_offset > max(ids), 120, "the rest fetched")
        time.sleep(1.5)  # the last replies
        after = covered(_sigterm(bot)[2].splitlines())
    kill = {
        "kill9_answered_before": len(before & set(ids)),
        "kill9_confirmed_unanswered": sum(1 for u in ids if u < confirmed and u not in before),
        "kill9_never_answered": len(set(ids) - before - after),
        "kill9_answered_twice": len(before & after),
    }
    with BotApiStandIn() as api:
        bot = _start_bot(api)
        ids = _burst(api, 100, 1000)
        time.sleep(2)
        seconds, code, err = _sigterm(bot)
        answered = covered(err.splitlines())
        unanswered_confirmed = sum(1 for u in ids if u < api.confirmed_offset and u not in answered)
    stop = {
        "sigterm_seconds": round(seconds, 2),
        "sigterm_exit": code,
        "sigterm_confirmed_unanswered": unanswered_confirmed,
    }
    with BotApiStandIn() as api:
        bot = _start_bot(api)
        api.token = "123456789:REVOKEDrevokedREVOKEDrevokedREVOKED1"
        started = time.perf_counter()
        api.text(1, "hello")  # ends the long poll in progress
        bot.communicate(timeout=120)
        revoked = {"exit_on_401_seconds": round(time.perf_counter() - started, 2), "exit_on_401_status": bot.returncode}
    with BotApiStandIn() as api:  # the same with no traffic: the long poll in progress ends by its own timeout
        bot = _start_bot(api)
        api.token = "123456789:REVOKEDrevokedREVOKEDrevokedREVOKED1"
        started = time.perf_counter()
        bot.communicate(timeout=120)
        revoked["exit_on_401_idle_seconds"] = round(time.perf_counter() - started, 2)
    return {**kill, **stop, **revoked}


def _cpu_of(pid: int) -> float | None:
    """CPU seconds (user + system) a running process has used so far, from /proc (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait4(process: subprocess.Popen, timeout: float) -> tuple[int, int, object]:
    """Wait for the process (killing it after `timeout`) and return os.wait4's pid, status and rusage."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return pid, status, usage
        time.sleep(0.02)
    process.kill()
    pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return pid, status, usage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.0, help="messages a second (0: all at once)")
    parser.add_argument("--telegram-limits", action="store_true", help="apply Telegram's 30 messages/s cap")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--durability", action="store_true", help="kill -9, SIGTERM and 401 figures instead")
    parser.add_argument("--run-bot", nargs=2, metavar=("BASE_URL", "TOKEN"), help=argparse.SUPPRESS)
    parser.add_argument("--log-info", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_bot:
        if args.log_info:  # the durability runs: each answer logged, the default flood guard
            return run_bot(*args.run_bot, args.telegram_limits, "INFO", Settings().flood_messages)
        return run_bot(*args.run_bot, args.telegram_limits)
    if args.durability:
        figures = durability()
        print(json.dumps(figures) if args.json else "\n".join(f"{k}: {v}" for k, v in figures.items()))
        return 0
    result = bench(args, Engine(load_content(ROOT)))
    if args.json:
        print(json.dumps(result))
    else:
        how = "at once" if not args.rate else f"at {args.rate:g}/s"
        print(
            f"telegram bench: {result['messages']} messages from {result['chats']} chats, sent {how}; "
            f"rate limits: {result['rate_limits']}; flood guard off"
        )
        verdict = "yes" if result["exactly_once_in_order"] else f"NO (chats {result['wrong_chats']})"
        print(f"answered {result['answered']}/{result['messages']}; exactly once and in order in every chat: {verdict}")
        print(
            f"throughput: {result['updates_per_second']} updates/s ({result['seconds']} s, first update to last reply)"
        )
        print(f"update -> reply: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
        print(
            f"CPU per update: bot {result['bot_cpu_ms_per_update']} ms, stand-in {result['standin_cpu_ms_per_update']} "
            f"ms; bot peak memory {result['bot_peak_mb']} MB"
        )
        if result["bot_exit"] != 0:
            print(f"the bot exited with status {result['bot_exit']} on SIGTERM")
    return 0 if result["exactly_once_in_order"] else 1


if __name__ == "__main__":
    sys.exit(main())
