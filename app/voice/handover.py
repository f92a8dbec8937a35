"""What the last sentence of a turn says about the floor: handed to the interviewer, or kept for a pause.

Whether a candidate has finished is mostly read from how the words end (app/voice/endpointing.py) and from
the recogniser's P(sentence end) (app/voice/stt/sentence_end.py). Two kinds of sentence say it outright, and
people answer them the same way whatever their intonation:

- a sentence that hands the floor over: a closing ("That's it, I think.", "I think that covers it.", "That's
  my answer.") or a question put to the interviewer ("Can I assume the input is sorted?", "Does that make
  sense?", "Could you repeat the second part?"). tiny.en hears many of them as unsure (P(sentence end) 0.5-0.74
  on the independent authors' endings of bench/turn_model.py) or writes them with a comma ("That's it,"), and
  the endpointer held them 1.6-2 s; a person answers at once;
- a sentence that announces a pause ("Okay, let me think about the edge cases.", "Give me a second."): the
  candidate has said they are about to think, so the pause that follows is not the end of the turn
  (`announces_pause`, app/interviewer/intents.py: the interviewer reads it too).

Input is a transcript: casing, apostrophes and punctuation are unreliable, so the words are normalized
(app/interviewer/intents.py) and only the last sentence is read.
"""

from __future__ import annotations

import re

from app.interviewer.intents import LEAD_WORDS, last_sentence, normalize

MAX_WORDS = 14  # a longer last sentence is an answer that happens to contain such words
# The whole sentence is a closing: "that's it", "that's all I've got", "I think that covers it", "that's my overall
# design", "that's how I'd approach it", "I'll stop there", "I'm done", or an offer to go deeper ("happy to dig
# into any of it"). Not the closing of one part ("That covers the happy path.", "That's it for the write path."):
# the next part follows.
_CLOSING = re.compile(
    LEAD_WORDS + r"((i think|i guess|i believe|i suppose) )?("
    r"(thats|that is|that was|that would be)( (pretty much|basically|about|really|roughly|more or less))?"
    r" (it|all|everything|about it|all i have|all ive got|all i got)"
    r"|(thats|that is|that would be) (my|the) ([a-z]+ )?(answer|design|approach|solution|proposal|plan|summary)"
    r"( for [a-z0-9 ]+)?"
    r"|(thats|that is)( (pretty much|basically|roughly|more or less))? how (id|i would|i d) "
    r"(approach|do|design|handle|build|solve|tackle) (it|this|that)"
    r"|that (covers|answers) (it|everything|all of it|most of it|[a-z]+ question|the main [a-z]+)"
    r"|(ill|i will|let me|i can) (stop|leave it|pause) (there|here)"
    r"|(im|i am|id be) (happy|glad) to (go|dig|dive|talk|expand|elaborate|explain|walk)( [a-z]+){0,6}"
    r"|(we|i) can (go deeper|dig|dive)( [a-z]+){0,7}"
    r"|(im|i am) (done|finished)|done|nothing (more|else)( to add)?"
    r")( (i think|i guess|really|for now|from me|for this|on my side|on my end))?$")
# A question put to the interviewer: asking leave ("can I assume"), asking them to do something ("could you
# repeat"), or checking ("does that make sense", "what do you think"). Rhetorical questions a candidate asks
# and answers themself rarely take these forms ("what happens if the leader dies?").
_QUESTION = re.compile(
    LEAD_WORDS + r"((can|could|may|should|shall|do|would|am) i |"
    r"(can|could|would|will|do|did|should) you |"
    r"(does|did|is|was|would) (that|this|it) (make sense|answer|sound|work|cover|seem|look|help|clear|ok|okay|"
    r"alright|fine|enough|what you)|"
    r"what do you think|how does (that|this) sound|"
    r"(are|can|should|do|may) we (assume|assuming) |just to (clarify|confirm|check)|"
    r"(is|was) (there|that|this) (anything|something|a (particular|specific)|what)|"
    r"(any|other) (questions|thoughts|concerns)|"
    r"(shall|should) (we|i) (move on|go on|continue|dig|go deeper|code|start))")
# ... or a question about what the interviewer wants ("Was that the kind of example you were looking for?"); not a
# generic "you" ("how do you handle failover?").
_THEIR_WISH = re.compile(r"\b(you|youd) (were|are|want|wanted|like|mean|meant|asked|had in mind|looking)\b")


def hands_over(text: str) -> bool:
    """The last sentence closes the answer or asks the interviewer something: the floor is theirs."""
    last = last_sentence(text).rstrip()
    norm = normalize(last)
    if not norm or len(norm.split()) > MAX_WORDS or last.endswith(("-", "...", "\u2026")):
        return False  # (a word cut off, or trailing off: going on)
    if _CLOSING.search(norm):
        return True
    asked = last.endswith("?") and bool(_THEIR_WISH.search(norm))
    return asked or (last.endswith(("?", ".")) and bool(_QUESTION.search(norm)))

