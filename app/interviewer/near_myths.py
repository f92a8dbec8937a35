"""What the interviewer never says back: the parts of an answer that assert something near a myth.

The hearing layer (app.hearing.hearing, `Heard.near`) finds every window of an answer that asserts something
at meaning.NEAR or closer to one of the round's misconceptions (and closer to it than to its truth), and
`Heard.close` those at meaning.UNSAID whatever the truth's distance (`NearMyth.probe` False). A lead
that says such a part back ("Okay, so a plain per-minute counter is exact.") sounds like agreement, so:
  - the offline lead (answers._echo) and the LLM's anchor (llm_prompt.py) are picked from `sayable(...)`,
    the answer with those parts cut;
  - the LLM guard (llm_guard.py) rejects a lead that `says_back(...)` one of them (the turn falls back);
  - at meaning.PROBE or closer the myth is put to its test question (answers._challenge), neutrally, once.
The challenge of a myth may say its own claim back (`keep`): that is the claim being put to the test.
"""

from __future__ import annotations

import re

from app.hearing.meaning import PROBE
from app.interviewer.state import Event, NearMyth
from app.interviewer.words import stems

SAID_BACK_SHARE = 0.5  # a lead with this share of its content words (and two or more) from a part says it back


def parts(event: Event | None, keep: str | None = None) -> list[NearMyth]:
    """The smallest parts of the answer near a myth, other than those of the myth `keep` (a window that holds
    a smaller such window is left out, so that its other sentence stays sayable)."""
    near = [n for n in (event.near if event is not None else []) if n.id != keep]
    return [n for n in near if not any(_holds(n, o) for o in near)]


def _holds(outer: NearMyth, inner: NearMyth) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and outer.end - outer.start > inner.end - inner.start


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding text[start:end]: a clause near a myth carries its sentence's rest
    ("Consistency and availability both hold during a partition with quorum reads, so we get CAP all three")."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, max(start, end - 1))
    return (before[-1] if before else 0), (after.end() if after else len(text))


def sayable(text: str, event: Event | None, keep: str | None = None) -> str:
    """`text` with the sentences holding a part near a myth cut, each cut a sentence break (`text` itself when
    there are none)."""
    cut = sorted((_sentence(text, n.start, n.end) for n in parts(event, keep)), key=lambda span: span[0])
    if not cut:
        return text
    out, at = [], 0
    for start, end in cut:
        out.append(text[at:max(at, start)])
        at = max(at, end)
    out.append(text[at:])
    return " ".join(p if p.endswith((".", "!", "?")) else f"{p}." for p in (p.strip() for p in out) if p)


def says_back(lead: str, near: list[str]) -> bool:
    """Whether a lead says one of the `near` parts back: most of its content words come from that part."""
    mine = stems(lead, generic=False)
    return any(len(shared := mine & stems(part, generic=False)) >= 2 and len(shared) >= SAID_BACK_SHARE * len(mine)
               for part in near)


def probed(event: Event) -> list[str]:
    """The misconceptions heard at meaning.PROBE or closer, in the order said, each once."""
    return list(dict.fromkeys(n.id for n in sorted(event.near, key=lambda n: n.start)
                              if n.probe and n.similarity >= PROBE))
