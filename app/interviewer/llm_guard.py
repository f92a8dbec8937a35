"""Guardrails on what the LLM interviewer says, checked sentence by sentence before anything is spoken.

    guard = ReplyGuard(earlier_interviewer_turns, facts=[...], max_words=60)
    reason = guard.check(raw_sentence)   # None: speak it (guard.clean(raw)); else why it is rejected
    guard.accept(clean_sentence)          # counts words and questions

A rejected first sentence makes the whole turn fall back to the planner's offline move; a later one ends
the turn there (llm.py). Rejected: markdown or lists, a rubric/prompt leak, praise, a refusal, words
spoken as the candidate, a second question, more than the length cap, a sentence that repeats an earlier
interviewer turn, a follow-up's lead that picks up none of the candidate's words or opens with a stock
"You said"/"You mentioned", a sentence a person would not say as it is (app.interviewer.speech), and (for a
clarification) numbers that are not in the facts given; a lead that says the answer back, numbers that are
not the answer's; a lead that says back a part of the answer near a myth (near_myths.py).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from app.interviewer.near_myths import says_back
from app.interviewer.speech import fragments, opener
from app.interviewer.words import stems

# words an interviewer never says to a candidate, but a prompt-injected or confused model might
LEAK = re.compile(r"\b(rubrics?|system prompt|candidate_turn|evaluation criteria|my instructions|interviewer "
                  r"notes|offline wording|scoring (guide|criteria)|your score|hint text|model answer)\b",
                  re.IGNORECASE)
MARKDOWN = re.compile(r"(^|\n)\s*([-*\u2022+]\s|\d+[.)](\s|$)|#{1,6}\s)|```|\|\s*-{3}|:\s*\n", re.MULTILINE)
PRAISE = re.compile(
    r"\b(great|excellent|fantastic|awesome|brilliant|impressive|perfect|wonderful|well done|nice (job|work|"
    r"answer|point)|good (job|work|answer|point|question|thinking|approach|start|idea|explanation)|"
    r"(that'?s|that is|what a|is a) (a )?(good|great|solid|smart|strong|nice|clever|excellent)|"
    r"exactly right|spot on|love (that|it|this)|i like (that|your|how)|(you'?re|you are|that'?s|that is) "
    r"(right|correct)|makes sense|i agree|agreed)\b", re.IGNORECASE)
REFUSAL = re.compile(
    r"\b(i'?m sorry,? but|i am sorry,? but|sorry, i can'?t|i (cannot|can'?t|am unable to|'?m unable to|"
    r"am not able to|'?m not able to) (help|answer|assist|provide|do that|comply)|as an ai|"
    r"language model)\b", re.IGNORECASE)
AS_CANDIDATE = re.compile(
    r"\b(thank you for (the|this) (opportunity|question|interview|chance)|thanks for having me|"
    r"(i'?m|i am) (excited|thrilled|happy|glad|eager) to (be here|work|interview|discuss|join|talk|share)|"
    r"my (approach|design|answer|solution) (would|is|will)|(i would|i'd|i will|i'll) (use|design|implement|"
    r"build|choose|pick|go with|store|shard|start by|begin by)|let me (explain|walk you through|start by|"
    r"describe)|in my (experience|last job|previous role|current role))\b", re.IGNORECASE)
LABEL = re.compile(r"^\s*(interviewer|assistant)\s*:\s*", re.IGNORECASE)
SPEAKER = re.compile(r"^\s*(candidate|user|me)\s*:", re.IGNORECASE)
NUMBER = re.compile(r"\d[\d,.]*")
_YOU = re.compile(r"\byou(r|'d|'re|'ll|'ve)?\b", re.IGNORECASE)
REPEAT_RATIO = 0.8
REPEAT_MIN_WORDS = 5  # a question this long, or a statement of ...
REPEAT_STATEMENT_WORDS = 10  # ... this many words, must not say what an earlier turn said (set phrases may)


def clean(sentence: str) -> str:
    """Emphasis marks, backticks and a speaker label are removed; they are never spoken."""
    return LABEL.sub("", sentence.replace("*", "").replace("`", "").replace("_", " ")).strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in NUMBER.findall(text)}


def repeats(sentence: str, earlier: list[str]) -> bool:
    """Does this sentence say (nearly) what an earlier interviewer sentence said?"""
    mine = words(sentence)
    if len(mine) < (REPEAT_MIN_WORDS if "?" in sentence else REPEAT_STATEMENT_WORDS):
        return False
    return any(SequenceMatcher(None, mine, words(old)).ratio() >= REPEAT_RATIO for old in earlier)


def split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


class ReplyGuard:
    def __init__(self, earlier_turns: list[str], facts: list[str] | None = None, max_words: int = 60,
                 max_questions: int = 1, echo_of: str | None = None, near: list[str] | None = None):
        self.earlier = [s for turn in earlier_turns for s in split_sentences(turn)]
        self.allowed_numbers = set().union(*(_numbers(f) for f in facts)) if facts else None
        self.max_words = max_words
        self.max_questions = max_questions
        self.echo_of = stems(echo_of, generic=False) if echo_of is not None else None  # a lead must pick it up
        self.echo_numbers = _numbers(echo_of) if echo_of is not None else None  # and quote its numbers right
        self.near = near or []  # parts of the answer near a myth (near_myths.py): a lead never says them back
        self.words = 0
        self.questions = 0

    def check(self, raw: str) -> str | None:
        if LEAK.search(raw):
            return "leak"
        if MARKDOWN.search(raw) or SPEAKER.search(raw):
            return "markdown"
        text = clean(raw)
        if not text:
            return "empty"
        if REFUSAL.search(text):
            return "refusal"
        if AS_CANDIDATE.search(text):
            return "as_candidate"
        if PRAISE.search(text):
            return "praise"
        if text.count("?") + self.questions > self.max_questions:
            return "second_question" if self.max_questions else "question_in_lead"
        if self.words + len(words(text)) > self.max_words:
            return "too_long"
        if repeats(text, self.earlier):
            return "repeat"
        if self.echo_of is not None and not self.words and not stems(text, generic=False) & self.echo_of:
            return "no_echo"
        if self.echo_of is not None and not self.words and not _YOU.search(text):
            return "not_addressed"  # their words said back as the interviewer's own ("we just add servers")
        if self.echo_of is not None and not self.words and opener(text):
            return "stock_opener"  # "You said ..." on every other follow-up: the harness's opener rate
        if says_back(text, self.near):  # any sentence of a whole turn, not only its lead
            return "near_myth"  # "So a plain per-minute counter is exact." sounds agreed
        if fragments(text):
            return "fragment"  # a cut clause or no verb (app.interviewer.speech): not what a person says
        if self.allowed_numbers is not None and not _numbers(text) <= self.allowed_numbers:
            return "invented_number"
        if self.echo_numbers is not None and not self.words and not _numbers(text) <= self.echo_numbers:
            return "misquoted_number"  # "1,020 requests in a minute" came back as "1 request per minute"
        return None

    def accept(self, text: str) -> None:
        self.words += len(words(text))
        self.questions += text.count("?")
