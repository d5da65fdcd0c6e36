"""Write bot/data/english_words.txt: common English words, so the speller leaves real words alone.

The matcher corrects a word it does not know to the nearest word of the intents' examples ("dealling" ->
"dealing"). A real word it does not know must stay as it is ("blast" is not "last", "dumped" is not "jumped").
The list is taken from pyspellchecker's English frequency dictionary (MIT licence), keeping words seen at least
MIN_COUNT times. Regenerate with:

    pip install pyspellchecker && python tools/make_wordlist.py
"""

from __future__ import annotations

from pathlib import Path

from spellchecker import SpellChecker

MIN_COUNT = 100
OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "english_words.txt"


def main() -> None:
    frequencies = SpellChecker(language="en").word_frequency.dictionary
    words = sorted(w for w, c in frequencies.items() if c >= MIN_COUNT and w.isascii() and w.isalpha() and len(w) > 2)
    header = "# Common English words (pyspellchecker, MIT licence), made by tools/make_wordlist.py\n"
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
