"""argv -> Telegram | chat | classify | check; nothing else."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import Settings, load_settings
from bot.content import ContentError, load_content


def _content_or_exit(settings: Settings):
    try:
        return load_content(settings.content_root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"content has {len(exc.problems)} problem(s); run `python -m bot check` for the list", file=sys.stderr)
        raise SystemExit(1) from None


def _engine(settings: Settings):
    from bot.engine import Engine

    return Engine(_content_or_exit(settings), context_ttl=settings.context_ttl)


def cmd_check(settings: Settings) -> int:
    try:
        content = load_content(settings.content_root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) found")
        return 1
    examples = sum(len(i.examples) for i in content.intents)
    print(
        f"content OK: {len(content.intents)} intents, {examples} examples, {len(content.replies)} replies, "
        f"{len(content.links)} links, {len(content.areas)} areas, {len(content.figures.figures)} figures"
    )
    return 0


def cmd_chat(settings: Settings) -> int:
    from bot.frontends import console

    return console.run(_engine(settings), sys.stdin, sys.stdout, interactive=sys.stdin.isatty())


def cmd_classify(settings: Settings) -> int:
    from bot.frontends import classify

    return classify.run(_engine(settings), sys.stdin, sys.stdout)


def cmd_run(settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("No TELEGRAM_BOT_TOKEN set (environment or .env): starting the terminal chat instead.", file=sys.stderr)
        return cmd_chat(settings)
    from bot.frontends import telegram

    return telegram.run(settings, _engine(settings))


def cmd_extract(settings: Settings, argv: list[str]) -> int:
    from bot import extract

    return extract.main(argv, settings)


COMMANDS = {"chat": cmd_chat, "classify": cmd_classify, "check": cmd_check, "run": cmd_run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Community crime-reporting chatbot.")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=[*sorted(COMMANDS), "extract"],
        help="run (default: Telegram if a token is set, else the terminal chat), chat, classify, check, extract",
    )
    args, rest = parser.parse_known_args(argv)
    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL (token included) at INFO; PTB logs request bodies (user text) at DEBUG.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger(noisy).level))
    if args.command == "extract":
        return cmd_extract(settings, rest)
    if rest:
        parser.error(f"unexpected arguments: {' '.join(rest)}")
    return COMMANDS[args.command](settings)


if __name__ == "__main__":
    sys.exit(main())
