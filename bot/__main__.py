"""argv -> Telegram | chat | classify | check | extract | init; nothing else."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings, SettingsError, content_line, load_settings, shipped_content_root, telegram_problems
from bot.content import FILES, ContentError, load_content


def _content_or_exit(settings: Settings):
    try:
        return load_content(settings.content_root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"content has {len(exc.problems)} problem(s); run `python -m bot check` for the list", file=sys.stderr)
        print(content_line(settings), file=sys.stderr)
        raise SystemExit(1) from None


def _engine(settings: Settings):
    from bot.engine import Engine

    return Engine(_content_or_exit(settings), context_ttl=settings.context_ttl)


def cmd_check(settings: Settings) -> int:
    """Every problem as file:line, or one summary line; then the folder those files are in, and why that one."""
    try:
        content = load_content(settings.content_root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) found")
        print(content_line(settings))
        return 1
    from bot.understand.classifier import head_problem

    stale = head_problem(content.root, [(i.id, i.examples) for i in content.intents])
    if stale:
        print(stale)
        print("1 problem(s) found")
        print(content_line(settings))
        return 1
    examples = sum(len(i.examples) for i in content.intents)
    print(
        f"content OK: {len(content.intents)} intents, {examples:,} examples, {len(content.replies)} replies, "
        f"{len(content.links)} links, {len(content.areas)} areas, {len(content.figures.figures)} figures"
    )
    print(content_line(settings))
    return 0


def cmd_init(argv: list[str]) -> int:
    """Copy the content that came with the bot into a folder a group can edit; never overwrite a file."""
    parser = argparse.ArgumentParser(
        prog="python -m bot init", description="Copy intents.yaml and content/ into DIR, to edit for your area."
    )
    parser.add_argument("dir", type=Path, help="the folder to create or fill (it must not hold content already)")
    target: Path = parser.parse_args(argv).dir
    source = shipped_content_root()
    from bot.understand.classifier import HEAD_FILE

    files = [*FILES.values(), *([HEAD_FILE] if (source / HEAD_FILE).is_file() else [])]
    clashes = [file for file in files if (target / file).exists()]
    if clashes:
        print(f"{target / clashes[0]} already exists; nothing was copied (choose an empty folder)", file=sys.stderr)
        return 1
    try:
        (target / "content").mkdir(parents=True, exist_ok=True)
        for file in files:
            shutil.copyfile(source / file, target / file)
    except OSError as exc:
        print(f"could not copy the content to {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"copied intents.yaml and content/ from {source} to {target}")
    print(f"edit them, then check them: cd {target} && {os.path.abspath(sys.executable)} -m bot check")
    print(f"start the bot from that folder, or set BOT_CONTENT_ROOT={target.resolve()} in .env")
    return 0


def _until_the_reader_leaves(run: Callable[[], int]) -> int:
    """Run a stdout front end; when the reader goes away (`... | head`), stop quietly as Unix tools do."""
    try:
        return run()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush does not fail again
        return 0


def cmd_chat(settings: Settings) -> int:
    from bot.frontends import console

    engine = _engine(settings)
    return _until_the_reader_leaves(lambda: console.run(engine, sys.stdin, sys.stdout, interactive=sys.stdin.isatty()))


def cmd_train(settings: Settings) -> int:
    """Fit the classifier head on intents.yaml and save it beside the content (a second or two)."""
    from bot.normalise import Normaliser
    from bot.understand.classifier import HEAD_FILE, fit_head
    from bot.understand.embeddings import Embedder

    content = _content_or_exit(settings)
    head = fit_head([(i.id, i.examples) for i in content.intents], Embedder(), Normaliser(content.spelling))
    head.save(content.root / HEAD_FILE)
    print(f"classifier head fitted on {len(head.labels)} intents, saved to {content.root / HEAD_FILE}")
    return 0


def cmd_classify(settings: Settings, explain: bool = False) -> int:
    from bot.frontends import classify

    engine = _engine(settings)
    return _until_the_reader_leaves(lambda: classify.run(engine, sys.stdin, sys.stdout, explain=explain))


def cmd_run(settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("No TELEGRAM_BOT_TOKEN set (environment or .env): starting the terminal chat instead.", file=sys.stderr)
        return cmd_chat(settings)
    problems = telegram_problems(settings)  # before loading the content: a bad token is the likelier mistake
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 2
    from bot.frontends import telegram

    return telegram.run(settings, _engine(settings))


# Third-party loggers held at WARNING whatever BOT_LOG_LEVEL says: httpx logs every request URL (token included)
# at INFO; PTB logs request URLs and parameters (people's messages) at DEBUG; tornado logs webhook requests.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "tornado", "hpack")


class LogHygiene(logging.Filter):
    """On every handler, as a last line of defence: the token is replaced wherever it appears, and a library's
    error is one line naming the exception type instead of a traceback whose messages could hold anything."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.name.split(".")[0] in QUIET_LOGGERS:
            error = record.exc_info[1]
            record.msg, record.args = f"{record.getMessage()} ({type(error).__name__})", None
            record.exc_info, record.exc_text = None, None
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text and self.token in record.exc_text:
                record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


def configure_logging(level: str, token: str | None = None) -> None:
    """BOT_LOG_LEVEL applies to the bot's own loggers ("bot.*"); everything else logs warnings and errors only."""
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("bot").setLevel(level)
    for noisy in QUIET_LOGGERS:
        logger = logging.getLogger(noisy)
        logger.setLevel(max(logging.WARNING, logger.level))
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, LogHygiene) for f in handler.filters):
            handler.addFilter(LogHygiene(token))


def cmd_extract(settings: Settings, argv: list[str]) -> int:
    from bot import extract

    return extract.main(argv, settings)


COMMANDS = {"chat": cmd_chat, "classify": cmd_classify, "check": cmd_check, "run": cmd_run, "train": cmd_train}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Community crime-reporting chatbot.")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=[*sorted(COMMANDS), "extract", "init"],
        help="run (default: Telegram if a token is set, else the terminal chat), chat, classify [--explain], check, "
        "train (fit the classifier head after editing intents.yaml), extract, init DIR (copy the content to edit)",
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["init"]:  # needs no settings: it works before .env or the content exist
        return cmd_init(argv[1:])
    # `extract` has flags of its own (and its own --help), so it takes everything after its name.
    is_extract = argv[:1] == ["extract"]
    args, rest = (argparse.Namespace(command="extract"), argv[1:]) if is_extract else parser.parse_known_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.telegram_bot_token)
    if args.command == "extract":
        return cmd_extract(settings, rest)
    if args.command == "classify" and rest == ["--explain"]:
        return cmd_classify(settings, explain=True)
    if rest:
        parser.error(f"unexpected arguments: {' '.join(rest)}")
    return COMMANDS[args.command](settings)


if __name__ == "__main__":
    sys.exit(main())
