"""The offline interviewer's spoken lines. Short, neutral, and never about the rubric or the answer.

Variety is deterministic: `pick(options, seed)` with a seed from the turn counters, so the same inputs
give the same interview, and consecutive turns do not reuse a line.
"""

from __future__ import annotations

import re

ACKS = ["Okay.", "Got it.", "Thanks.", "Alright.", "I see.", "Understood.", "Okay, thanks.", "Right."]

SPECIFICS = {
    "numbers": [
        "Can you put some rough numbers on that?",
        "What numbers would you attach to that, even ballpark ones?",
        "How big are we talking, roughly, in concrete figures?",
        "Could you quantify that a little?",
    ],
    "example": [
        "Can you make that concrete with a specific example?",
        "Walk me through one concrete case of that.",
        "What would that look like in a real situation you've seen?",
        "Could you give me a specific example of how that works?",
    ],
    "tradeoff": [
        "What's the downside of that approach?",
        "What would you be giving up with that choice?",
        "What alternative did you consider, and why not that one?",
        "Where would that approach start to hurt?",
    ],
}

THINK_ACKS = ["Sure, take your time.", "Of course, take a moment.", "No rush, take your time."]

NUDGES = [
    "Take your time. Feel free to think out loud, I'm happy to follow along.",
    "Whenever you're ready, just talk me through what you're considering.",
    "Would it help to start with the part you're most sure about?",
]

HINT_INTRO = ["Sure, here's a hint.", "Here's a nudge.", "One pointer."]
HINT_USED = [
    "That's the only hint I have for this one. What's your best guess?",
    "I'll leave it at that hint. Talk me through your best attempt.",
]
DONT_KNOW = [
    "That's okay. Here's a hint to get you started.",
    "No problem, let me give you a pointer.",
]
MOVE_ON = ["That's fine, let's move on.", "Okay, let's try something different.",
           "Let's leave that one there."]
# clarifying questions: the facts answer them (prompts/rounds/*.yaml); these frame the answer
YOUR_CALL = [
    "That one's your call, so state your assumption and go with it.",
    "I'll leave that to you; pick something sensible and say it out loud.",
    "That's up to you, just tell me what you're assuming.",
]
IF_IT_HELPS = "If it helps,"
KEEP_CONSISTENT = "Just keep it consistent with what I've told you so far."
AS_SAID = ["As I mentioned,", "Like I said earlier,", "Same as before:"]
HANDBACK = ["Go ahead.", "Over to you.", "Carry on."]
FOR_THE_END = "Let's keep questions about the team and the role for the end; I'll leave time for them."
I_MEAN = "To be clear, I'm asking:"
REDIRECT = [
    "Let me bring us back to the question.",
    "I'd like to stay with what I asked for a moment.",
    "Let's come back to the question I asked.",
]
REPEAT_INTRO = ["Sure.", "Of course.", "No problem."]
# statements: the follow-up asked again is the question ("Can you be more specific? Who else was involved ...?"
# asked two at once)
PRESS = ["Let's make that concrete.", "Let's get specific.", "I'd like the specifics there."]
# before the challenge of a wrong claim (rubric `misconceptions[].challenge`): no verdict, no praise
CHALLENGE_LEADS = ["Let me push on that.", "Let's test that.", "Let me press on that a little.",
                   "Let's stay with that for a moment."]

TRANSITION = "We're about {minutes} in, so let's turn to {phase}."
TRANSITION_BY_PROGRESS = "Let's turn to {phase}."
WRAP_UP_ASK = [
    "We're coming up on time, so let's stop there. Do you have any questions for me?",
    "We're close to time, so I'll stop the questions here. Is there anything you'd like to ask me?",
]
WRAP_UP_EARLY = ("We've covered a lot of ground, so we can finish a little early. "
                 "Do you have any questions for me?")
GO_AHEAD = "Sure, go ahead. What would you like to know?"
ASK_AGAIN = "Thanks, noted. Before we finish, is there anything you'd like to ask me?"
ANY_MORE = ["Anything else you'd like to ask?", "Any other questions?"]
CLOSE = "Thanks for your time today, that's the end of our interview. Your review will be ready shortly."
CLOSE_OUT_OF_TIME = ("We're out of time, so we'll stop here. "
                     "Thanks for your time today, your review will be ready shortly.")
RESUME = "Welcome back, let's pick up where we left off."

# Generic answers to the candidate's own questions in the wrap-up: nothing invented about any company.
CANDIDATE_ANSWERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(feedback|how did i do|score|perform|went)\b"),
     "You'll get a scored review of this session, with quotes from your answers, right after we finish."),
    (re.compile(r"\b(next step|process|hear back|timeline|offer|recruiter)\b"),
     "In a real loop, your recruiter is the best person to ask about next steps and timelines."),
    (re.compile(r"\b(team|culture|day to day|typical day|on call|oncall|stack|work on)\b"),
     "That varies a lot between teams, so it's a great one to ask each of your real interviewers."),
]
CANDIDATE_DEFAULT = ("Good question. I can't speak for any particular company, so I'd rather not guess; "
                     "it's worth asking in your real interviews.")

OPENING = "Hi, I'm your interviewer for this {title} round, and we have about {minutes} minutes."


def pick(options: list[str], seed: int) -> str:
    return options[seed % len(options)]


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"'])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def compose(*parts: str, optional: tuple[int, ...] = (), limit: int = 3) -> str:
    """Join parts into one utterance; drop optional parts (by index, first first) to stay within `limit`
    sentences, because a spoken turn longer than three sentences loses the listener."""
    keep = [p.strip() for p in parts]
    for index in optional:
        if sum(len(sentences(p)) for p in keep if p) <= limit:
            break
        keep[index] = ""
    return " ".join(p for p in keep if p)


def answer_candidate_question(text: str) -> str:
    low = text.lower()
    for pattern, answer in CANDIDATE_ANSWERS:
        if pattern.search(low):
            return answer
    return CANDIDATE_DEFAULT


def phase_label(name: str) -> str:
    """'Capacity estimation' -> 'capacity estimation'; keeps acronyms ('API design')."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name
