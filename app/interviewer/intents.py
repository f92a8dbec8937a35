"""What a candidate's short utterance asks for: a repeat, a hint, time to think, to stop...

Input is a speech transcript, so punctuation, apostrophes and casing are unreliable ("dont", "Im",
"could you repeat the question", "say that again"). Intents are only read from short utterances: a long
answer that happens to contain "I'm not sure" is an answer, not a request.
"""

from __future__ import annotations

import re

MAX_INTENT_WORDS = 14
# a few intents are common words in real answers ("let me see, I'd shard..."): only very short turns
_MAX_WORDS = {"think": 8, "dont_know": 10, "done": 8}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("repeat", re.compile(
        r"\b((can|could|would) you (please )?(repeat|rephrase)|repeat (that|the question|it|please|again)|"
        r"please repeat|^(sorry )?repeat$|say (that|it|this) (again|one more time)|come again|pardon|"
        r"(didnt|did not|couldnt|could not) (catch|hear|get) (that|it|the question)|what was the question|"
        r"sorry what|what did you say)\b")),
    ("hint", re.compile(
        r"\b(hint|clue|point me|nudge|some help|little help|(can|could) (you )?help me|help me out|"
        r"where (should|do) i start|any (pointers|tips))\b")),
    ("think", re.compile(
        r"\b(let me think|let me (gather|collect|organi[sz]e) my thoughts|give me (a|one) "
        r"(second|sec|moment|minute|min)|(one|a|just a) (second|sec|moment|minute)|hold on|bear with me|"
        r"thinking about it|need (a|some) time|let me see)\b")),
    ("dont_know", re.compile(
        r"\b(i (really |just |honestly )?(dont|do not) know|(im|i am) (really |just )?not sure|"
        r"not really sure|^not sure$|no idea|(i have|ive got) no clue|"
        r"(dont|do not|cant|cannot) (remember|recall|think of)|(im|i am) stuck|drawing a blank|"
        r"(never|havent|have not) (done|worked on|dealt with)|(ill|i will|i have to|id have to) pass)\b")),
    ("end", re.compile(
        r"\b((end|stop|finish|wrap up|close) (the|this) (interview|session|call)|lets (stop|end|finish) "
        r"(here|now|the interview)|(i want|id like|i would like) to (stop|end|finish)|"
        r"i (have|need) to go)\b")),
    ("done", re.compile(
        r"^(so )?(yeah |yes |ok |okay )*(i think |i guess )?(thats (all|it|about it|everything)|"
        r"(im|i am) (done|finished)|nothing (more|else)|i think that covers it|that would be (all|it))\b")),
]
_NO_QUESTIONS = re.compile(
    r"\b(no( more)? questions|(dont|do not) have (any|more)( more)? questions|nothing (from me|else)|"
    r"no thanks|no thank you|nope|(im|i am) (good|fine|all set)|thats (all|it)|not really|no)\b")
_QUESTION_START = re.compile(
    r"^(so |and |ok |okay |yes |yeah |um |uh )*(what|how|why|who|when|where|which|is|are|do|does|did|can|"
    r"could|would|will|should|have|has|i was wondering|i wonder|id like to know|tell me)\b")


def normalize(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def word_count(text: str) -> int:
    return len(normalize(text).split())


def detect_intent(text: str) -> str | None:
    """One of repeat, hint, think, dont_know, end, done — or None for an ordinary answer."""
    norm = normalize(text)
    words = len(norm.split())
    if not norm or words > MAX_INTENT_WORDS:
        return None
    for name, pattern in _PATTERNS:
        if words <= _MAX_WORDS.get(name, MAX_INTENT_WORDS) and pattern.search(norm):
            return name
    return None


def is_no_questions(text: str) -> bool:
    """In the wrap-up: does the candidate decline to ask anything?"""
    norm = normalize(text)
    if not norm:
        return True
    if asks_question(text) and not norm.startswith("no"):
        return False
    return len(norm.split()) <= 10 and bool(_NO_QUESTIONS.search(norm))


_YES = re.compile(r"^(yes|yeah|yep|sure|i do|i have (one|a few|some)|actually yes|one question|a couple)"
                  r"( please| actually| i do| i have one| one| a couple)?$")


def is_yes(text: str) -> bool:
    """"Yes." to "any questions for me?": the question is still to come."""
    return bool(_YES.match(normalize(text)))


def asks_question(text: str) -> bool:
    return text.strip().endswith("?") or bool(_QUESTION_START.search(normalize(text)))


_CLARIFY_START = re.compile(
    r"^(so |and |ok |okay |um |uh |sorry |quick question |before i (start|begin|dive in) |just to (check|"
    r"clarify|confirm) |first )*((can|could|may|should|do|does|is|are|will|would|am|must|have) "
    r"(i|we|you|it|there|the|they|this|that|users|these|those|our|my|a|an)\b|"
    r"(what|whats|how|hows|who|whos|which|where|wheres|when|roughly how|approximately how)\b)")
_CLARIFY_ANYWHERE = re.compile(
    r"\b(can i assume|should i assume|may i assume|is it (ok|okay|fine|alright) (if|to)|i (assume|take it)\b.*"
    r"\b(right|correct)$|do we (need|have|care|want|support)|are we (talking|supporting|expecting|assuming)|"
    r"how (many|much|big|large|often|fast|long|recent)|(what is|what are|whats) the (expected|target|scale|size|"
    r"budget|latency|read|write|ratio|volume|traffic|constraint|limit|input|range)|any (constraints?|limits?|"
    r"requirements?)|is there (a|an|any)|are there (any)?|do you want me to|should (i|we|it)|"
    r"does it (need|have) to|does (the|it|this|that)|is (this|it|that) (for|a|an|the|just|only|okay|ok))\b")
_CONFUSED = re.compile(
    r"\b(do you mean|did you mean|what do you mean|you mean|are you asking|by .{1,40} do you mean|"
    r"(not sure|unsure) what you mean|which (one|part) do you mean|what exactly (are you|do you) (asking|"
    r"want|mean)|what are you looking for|(as in|meaning) .{1,40}\bor\b)")
MAX_CLARIFY_WORDS = 40
# with a question mark, any auxiliary opening asks ("Is consistency more important than latency?")
_ASKED = re.compile(r"^(so |and |ok |okay |um |uh |sorry |also |then )*(is|are|do|does|did|can|could|should|will|"
                    r"would|must|may|has|have)\b")
# without a question mark, "so what I would do is..." / "how I'd do it is..." are the start of an answer
_STATEMENT = re.compile(r"^(so |and |ok |okay |um |uh |well )*(what|how|where|when|which) (i|we|id|wed|ill|youd)\b")
_WRAPPED_WORDS = 20  # a spoken question without "?" is only recognised this short


def is_confused(text: str) -> bool:
    """"Do you mean my team or another team?": the candidate is unsure what the question asks."""
    norm = normalize(text)
    return bool(norm) and len(norm.split()) <= MAX_CLARIFY_WORDS and bool(_CONFUSED.search(norm))


def last_sentence(text: str) -> str:
    """The last sentence the recogniser wrote (the whole text when it wrote one)."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p.strip()]
    return parts[-1] if parts else ""


# Words a spoken sentence may open with before what it says ("so, okay, um, let me think").
LEAD_WORDS = r"^((and|or|so|ok|okay|yeah|yes|well|alright|right|um|uh|sorry|also|but|then|actually|anyway|i mean) )*"
# The last sentence announces a pause to think (the "think" words above, anchored at the sentence's end: "let me
# see, I'd shard ..." goes on).
_PAUSE_ANNOUNCED = re.compile(
    LEAD_WORDS + r"(let me (think|see|gather my thoughts|collect my thoughts|organi[sz]e my thoughts)|"
    r"give me (a|one|just a) (second|sec|moment|minute|min)|(one|a|just a) (second|sec|moment|minute)|hold on|"
    r"bear with me|i need (a|to) (second|moment|minute|think))"
    r"( (for|just for) (a|one) (second|sec|moment|minute))?( to think)?( (about|through|over|on) [a-z0-9 ]+)?$")
_PAUSE_WORDS = 10


def announces_pause(text: str) -> bool:
    """The last sentence says the candidate is about to think ("Okay, let me think about the edge cases."): the
    endpointer waits the pause out (app/voice/endpointing.py) and the interviewer gives them the time."""
    norm = normalize(last_sentence(text))
    return bool(norm) and len(norm.split()) <= _PAUSE_WORDS and bool(_PAUSE_ANNOUNCED.search(norm))


def is_clarifying_question(text: str) -> bool:
    """A question back to the interviewer about the problem ("Can I assume reads outnumber writes?",
    "how many users are we talking about", "do you mean my own team or another one")."""
    norm = normalize(text)
    words = len(norm.split())
    if not norm or words > MAX_CLARIFY_WORDS:
        return False
    if is_confused(text):
        return True
    stripped = text.strip()
    if "?" in stripped:
        # a question mark at the end, or in the turn's opening ("How many users? I'd guess...")
        last = normalize(last_sentence(stripped))
        first = normalize(stripped.split("?")[0])
        after = normalize(stripped.rsplit("?", 1)[1])
        if stripped.endswith("?") or (len(first.split()) <= 15 and len(after.split()) <= 8):
            return any(p.search(x) for p in (_CLARIFY_START, _CLARIFY_ANYWHERE, _ASKED) for x in (first, last))
        return False
    if words > _WRAPPED_WORDS or _STATEMENT.search(norm):
        return False
    return bool(_CLARIFY_START.search(norm) or _CLARIFY_ANYWHERE.search(norm))


# --- how specific is an answer? --------------------------------------------------------------------
SHORT_ANSWER_WORDS = 15
_NUMBER = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|hundreds|thousand|"
    r"thousands|million|millions|billion|billions|percent|dozen|half|twice|double|triple|p99|p95|ms|"
    r"milliseconds|seconds|minutes|hours|days|weeks|months|gb|tb|mb|qps)\b")
_EXAMPLE = re.compile(
    r"\b(for example|for instance|e g|such as|when i|in my (last|previous|current)|at my (last|previous|"
    r"current)|last (year|quarter|month)|we had|i once|one time|in one case|like when|say we|imagine|"
    r"specifically|concretely)\b")
_TRADEOFF = re.compile(
    r"\b(trade ?offs?|but|however|on the other hand|downsides?|instead of|versus|vs|at the (cost|expense)|"
    r"whereas|although|drawbacks?|pros and cons|cost of|the catch|alternatively|rather than|compared to)\b")


def specificity(text: str) -> dict[str, bool]:
    """Which kinds of specifics an answer has: numbers, an example, a trade-off."""
    norm = normalize(text)
    return {"numbers": bool(_NUMBER.search(norm)), "example": bool(_EXAMPLE.search(norm)),
            "tradeoff": bool(_TRADEOFF.search(norm))}


def is_vague(text: str) -> bool:
    """Short, or with no number, no example and no trade-off."""
    return word_count(text) < SHORT_ANSWER_WORDS or not any(specificity(text).values())
