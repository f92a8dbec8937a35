"""Move kinds and their traits (moves.TRAITS): every kind has a row, and each trait names the kinds the
code relied on before the traits lived in one place."""

from app.interviewer.moves import TRAITS, MoveKind


def kinds(trait: str) -> set[str]:
    return {k.value for k in MoveKind if getattr(k, trait)}


def test_every_kind_has_a_row():
    assert set(TRAITS) == set(MoveKind)


def test_traits_name_the_kinds():
    assert kinds("asks") == {"open", "next_question", "probe", "specifics", "challenge"}
    assert kinds("main_question") == {"open", "next_question"}
    assert kinds("asked_once") == {"open", "next_question", "probe", "specifics"}
    assert kinds("follow_up") == {"probe", "specifics", "challenge"}
    assert kinds("echoes") == {"probe", "specifics"}
    assert kinds("probes_dimension") == {"probe", "hint", "specifics", "challenge"}
    assert kinds("restates") == {"repeat", "resume", "redirect", "clarify"}
    assert kinds("wrap_up") == {"wrap_up_questions", "answer_question", "close"}
    assert kinds("short_answer") == {"clarify", "answer_question", "repeat", "wrap_up_questions", "close"}
    assert kinds("llm_writes") == {"probe", "specifics", "challenge", "redirect", "answer_question", "run_result"}
    assert kinds("lead_only") == {"probe", "specifics", "challenge", "redirect", "run_result"}
    assert kinds("whole_turn") == {"probe", "specifics", "challenge", "redirect"}
    assert kinds("llm_asks") == {"probe", "specifics", "challenge", "redirect", "encourage", "answer_question"}
    assert {k.value: k.answer_was for k in MoveKind if k.answer_was} == {"specifics": "vague",
                                                                         "redirect": "off_topic"}


def test_of_reads_stored_meta():
    assert MoveKind.of("probe") is MoveKind.PROBE
    assert MoveKind.of(MoveKind.CLOSE) is MoveKind.CLOSE
    assert MoveKind.of(None) is MoveKind.NONE
    assert MoveKind.of("no_such_move") is MoveKind.NONE
    assert not any(getattr(MoveKind.NONE, t) for t in ("asks", "follow_up", "wrap_up", "llm_writes"))
