"""Engine benchmark: start-up (load, validate, index), per-message latency p50/p99, messages a second on one core,
peak memory; optionally with the intents' examples multiplied by generated variants (--scale 10, --scale 100).

    python benchmarks/engine_bench.py [--scale N] [--messages N] [--messages-file FILE] [--root DIR] [--json]

A variant is a real example rewritten the way people vary it: a filler word, a synonym, a common misspelling, a
greeting or a question tag, clauses in another order, a dropped little word. Misspellings come from a fixed set of
two per word, as in a real corpus where the same slips recur, so at --scale 100 the vocabulary grows a few times
rather than a hundredfold, and growth measures more content, not invented words. Prints figures; asserts nothing
(machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.normalise import fold  # noqa: E402

# Messages written for the benchmark: a mix of routes, lengths and spellings.
MESSAGES = [
    "theres a man wiv a knife outside the chicken shop",
    "my car got broken into last night and they took my laptop",
    "lads dealing from the flat upstairs, cars pulling up all night",
    "neighbours music is so loud every single night i cant sleep",
    "what have the police done about drugs in bletchley",
    "and how much cash did they get back",
    "how do i report something without giving my name",
    "hello",
    "thanks a lot",
    "is 101 the right number if its not an emergency",
    "someone keeps trying car door handles on our street at night",
    "im being made to hold drugs for some older boys and i want out",
    "my neighbour has collapsed and isnt breathing",
    "not an emergency but there was a fight outside the pub last weekend",
    "stats for aylesbery please",
    "🤔",
    "",
    "jfkdlsjfkdls",
    "kids on motorbikes ripping up the playing field again, its every evening",
    "I was walking home from the station yesterday and a group of lads followed me for a bit, shouting, "
    "and I have seen them around the estate before, they hang about by the garages most nights and I think "
    "they are selling something, what should I do about it",
]

# How people vary what they write. Words, not invented tokens, so the vocabulary stays a real one.
FILLERS = ["honestly", "like", "mate", "please", "tbh", "literally", "just", "so", "really", "basically", "again"]
PREFIXES = ["hi", "hiya", "hello", "excuse me", "quick question", "sorry to bother you", "um", "ok so", "right so"]
SUFFIXES = ["please", "what do i do", "any advice", "thanks", "cheers", "pls help", "?", "!!", "what can i do"]
SYNONYMS = {
    "lads": ["boys", "guys", "blokes", "youths"],
    "guy": ["man", "bloke", "lad", "fella"],
    "man": ["guy", "bloke", "fella"],
    "bloke": ["man", "guy"],
    "kids": ["teenagers", "youths", "children", "youngsters"],
    "people": ["folk", "ppl"],
    "someone": ["somebody", "some guy"],
    "somebody": ["someone"],
    "selling": ["dealing", "flogging", "shifting"],
    "dealing": ["selling", "shotting"],
    "house": ["home", "place"],
    "flat": ["apartment", "place"],
    "street": ["road", "close"],
    "road": ["street", "avenue"],
    "car": ["motor", "vehicle"],
    "night": ["evening"],
    "nights": ["evenings"],
    "shop": ["store", "corner shop"],
    "police": ["cops", "old bill", "feds"],
    "nicked": ["stolen", "taken", "pinched"],
    "stolen": ["nicked", "taken"],
    "loud": ["noisy"],
    "outside": ["in front of", "by"],
    "near": ["by", "close to"],
    "theres": ["there is", "there s"],
    "there is": ["theres"],
    "im": ["i am", "i m"],
    "i am": ["im"],
    "dont": ["do not"],
    "cant": ["cannot", "can not"],
    "want": ["wanna"],
    "going to": ["gonna"],
    "what": ["wat", "wot"],
    "please": ["pls", "plz"],
    "thanks": ["thank you", "cheers", "ta"],
    "you": ["u"],
    "your": ["ur"],
    "because": ["cos", "coz"],
}
DROPPABLE = {"the", "a", "my", "our", "is", "are", "its", "just"}
KEYBOARD = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopoadfghjkllxcvbnmn", strict=True))


def typos(word: str) -> list[str]:
    """Two misspellings of `word`, always the same two: a dropped, doubled, swapped or slipped letter."""
    if len(word) < 4 or not word.isalpha():
        return []
    rng = random.Random(zlib.crc32(word.encode()))
    out = []
    for _ in range(2):
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            out.append(word[:i] + word[i + 1 :])
        elif kind == 1:
            out.append(word[:i] + word[i] + word[i:])
        elif kind == 2:
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        else:
            out.append(word[:i] + KEYBOARD.get(word[i], word[i]) + word[i + 1 :])
    return [t for t in out if t != word]


def vary(text: str, rng: random.Random) -> str:
    """One realistic rewrite of an example: one to three of the changes people make."""
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        change = rng.randrange(7)
        words = text.split()
        if change == 0:  # a filler word anywhere
            words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
        elif change == 1:  # a synonym or a spelling of the same thing
            spots = [
                (i, n) for n in (1, 2) for i in range(len(words) - n + 1) if " ".join(words[i : i + n]) in SYNONYMS
            ]
            if spots:
                i, n = rng.choice(spots)
                words[i : i + n] = rng.choice(SYNONYMS[" ".join(words[i : i + n])]).split()
        elif change == 2:  # a common misspelling
            spots = [i for i, w in enumerate(words) if typos(w)]
            if spots:
                i = rng.choice(spots)
                words[i] = rng.choice(typos(words[i]))
        elif change == 3:  # a greeting or an opener
            words = [*rng.choice(PREFIXES).split(), *words]
        elif change == 4:  # a question tag or a plea
            words = [*words, *rng.choice(SUFFIXES).split()]
        elif change == 5:  # clauses in another order
            for sep in (", ", " and "):
                parts = text.split(sep)
                if len(parts) > 1:
                    rng.shuffle(parts)
                    words = sep.join(parts).split()
                    break
        else:  # a little word left out
            spots = [i for i, w in enumerate(words) if w in DROPPABLE]
            if spots and len(words) > 2:
                del words[rng.choice(spots)]
        text = " ".join(words)
    return text


def scaled_root(scale: int, source: Path = ROOT, seed: int = 7) -> Path:
    """A temporary content root whose intents have `scale` times the examples (variants of the real ones)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-content-"))
    shutil.copytree(source / "content", tmp / "content")
    intents = yaml.safe_load((source / "intents.yaml").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    # The loader refuses an example under two intents, so every variant is new across all intents.
    seen = {fold(example) for intent in intents for example in intent["examples"]}
    for intent in intents:
        base = list(intent["examples"])
        variants = []
        for example in base:
            made, attempts = 0, 0
            while made < scale - 1 and attempts < 50 * scale:
                attempts += 1
                variant = vary(example, rng)
                if variant.strip() and fold(variant) not in seen:
                    seen.add(fold(variant))
                    variants.append(variant)
                    made += 1
        intent["examples"] = base + variants
    (tmp / "intents.yaml").write_text(yaml.safe_dump(intents, sort_keys=False, allow_unicode=True), encoding="utf-8")
    # As a group would after editing the examples (python -m bot train); otherwise every start-up would refit it.
    subprocess.run(
        [sys.executable, "-m", "bot", "train"],
        env={**os.environ, "BOT_CONTENT_ROOT": str(tmp)},
        check=True,
        capture_output=True,
    )
    return tmp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply the intents' examples (default 1)")
    parser.add_argument("--messages", type=int, default=20000, help="messages to time (default 20000)")
    parser.add_argument("--messages-file", type=Path, help="messages to cycle through, one a line (default: built in)")
    parser.add_argument("--root", type=Path, default=ROOT, help="content root to start from (default: this repo)")
    parser.add_argument("--keep", action="store_true", help="keep the generated content root and print its path")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()

    pool = MESSAGES
    if args.messages_file:
        pool = args.messages_file.read_text(encoding="utf-8").splitlines()
    root = args.root if args.scale == 1 else scaled_root(args.scale, args.root)
    started = time.perf_counter()
    content = load_content(root)
    loaded = time.perf_counter()
    engine = Engine(content)
    ready = time.perf_counter()
    examples = sum(len(i.examples) for i in content.intents)

    messages = [pool[i % len(pool)] for i in range(args.messages)]
    for text in pool:  # warm up
        engine.handle(engine.new_state(), text)
    gc.collect()
    latencies = []
    t0 = time.perf_counter()
    for text in messages:
        s = time.perf_counter()
        engine.handle(engine.new_state(), text)
        latencies.append(time.perf_counter() - s)
    wall = time.perf_counter() - t0
    latencies.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "scale": args.scale,
        "examples": examples,
        "vocabulary": len(engine.index.vocabulary),
        "messages": len(messages),
        "startup_ms": round((ready - started) * 1000, 1),
        "load_validate_ms": round((loaded - started) * 1000, 1),
        "index_ms": round((ready - loaded) * 1000, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 3),
        "p99_ms": round(latencies[max(0, math.ceil(len(latencies) * 0.99) - 1)] * 1000, 3),
        "max_ms": round(latencies[-1] * 1000, 3),
        "msgs_per_s": round(len(messages) / wall, 1),
        "peak_rss_mb": round(peak_mb, 1),
    }
    if root is not args.root:
        if args.keep:
            figures["content_root"] = str(root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>18}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
