"""Measure `python -m bot extract` against truth.yaml: proposed, sure and right, for review, wrong, periods carried.

Run: .venv/bin/python tests/releases/measure.py [--unseen | --unseen2] [-v]. Each release is read without --area.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.extract import main  # noqa: E402


@dataclass
class Score:
    stated: int = 0
    proposed: int = 0
    sure_right: int = 0
    review: int = 0
    wrong: int = 0
    with_period: int = 0  # stated figures whose release gives a period for them
    period_carried: int = 0
    releases_with_period: int = 0
    releases_carrying: int = 0
    notes: list[str] = field(default_factory=list)


def extract(path: Path) -> tuple[int, dict[str, Any], str]:
    """The proposal for one release, as plain data, and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(path)], Settings(content_root=ROOT))
    return code, (yaml.safe_load(out.getvalue()) or {}) if code == 0 else {}, err.getvalue()


def _fits(truth: list[Any], figure: dict[str, Any]) -> bool:
    return figure.get("value") == truth[1] and figure.get("unit") == truth[2]


def score(names: list[str], truths: dict[str, Any], verbose: bool) -> Score:
    total = Score()
    for name in names:
        truth = truths[name]
        code, got, err = extract(HERE / name)
        sure, review = list(got.get("figures") or []), list(got.get("review") or [])
        release_periods = [t for t in truth["figures"] if not re.fullmatch(t[4], "not stated", re.I)]
        carried = 0
        for t in truth["figures"]:
            total.stated += 1
            match = next((f for f in sure if _fits(t, f)), None) or next((f for f in review if _fits(t, f)), None)
            if match is None:
                total.notes.append(f"{name}: MISSING {t}")
                continue
            total.proposed += 1
            right_period = bool(re.search(t[4], str(match.get("period")), re.I))
            if t in release_periods:
                total.with_period += 1
                carried += right_period and match.get("period") != "not stated"
            if match in review:
                total.review += 1
                review.remove(match)
                total.notes.append(f"{name}: review  {match['label']!r} {t[1]} ({match.get('period')})")
                continue
            sure.remove(match)
            right = re.search(t[0], match["label"], re.I) and match.get("qualifier", "") == t[3] and right_period
            if right:
                total.sure_right += 1
            else:
                total.wrong += 1
                total.notes.append(
                    f"{name}: WRONG   {match['label']!r} {match.get('qualifier')!r} {match.get('period')!r} for {t}"
                )
        total.period_carried += carried
        if release_periods:
            total.releases_with_period += 1
            total.releases_carrying += carried > 0
        for extra in sure:
            total.wrong += 1
            total.notes.append(f"{name}: WRONG   extra sure figure {extra['label']!r} {extra['value']}")
        for extra in review:
            total.notes.append(f"{name}: extra review item {extra['label']!r} {extra.get('value')}")
        if code != 0:
            total.notes.append(f"{name}: refused ({err.strip()})")
        source = next(iter((got.get("sources") or {}).values()), {})
        if source and (source.get("publisher"), source.get("kind")) != (truth["publisher"], truth["kind"]):
            total.notes.append(f"{name}: source {source.get('publisher')!r}, {source.get('kind')!r}")
    if verbose:
        print("\n".join(total.notes))
    return total


def report(label: str, s: Score) -> str:
    def share(a: int, b: int) -> str:
        return f"{a}/{b} ({a / b:.2f})" if b else f"{a}/0"

    return (
        f"{label}: stated {s.stated}; proposed {share(s.proposed, s.stated)}; sure and right "
        f"{share(s.sure_right, s.stated)}; for review {s.review}; wrong {s.wrong}; periods carried "
        f"{share(s.period_carried, s.with_period)} of figures, in {s.releases_carrying} of "
        f"{s.releases_with_period} releases that state one"
    )


if __name__ == "__main__":
    truths = yaml.safe_load((HERE / "truth.yaml").read_text(encoding="utf-8"))
    # --unseen: the releases under unseen/; --unseen2: the second set kept aside; neither: those tuned on.
    group = "unseen2/" if "--unseen2" in sys.argv else "unseen/" if "--unseen" in sys.argv else ""
    names = [n for n in truths if (n.split("/")[0] + "/" if "/" in n else "") == group]
    print(report(group.rstrip("/") or "written", score(names, truths, "-v" in sys.argv)))
