"""bench/saf.py reads SAF's XML (a tiny file written here; the dataset itself stays in ../shared)."""

from __future__ import annotations

from bench.saf import key_points, parse

XML = """<?xml version='1.0' encoding='utf-8'?>
<question id="9.9" module="TC">
   <questionText>Name two differences between the UDP and TCP headers.</questionText>
   <referenceAnswers><referenceAnswer id="TC_9.9_a1">
 Possible differences:
 -The UDP header is 8 bytes, the TCP header 20 to 60 bytes.
 -TCP has a sequence number. UDP has none.
</referenceAnswer></referenceAnswers>
   <studentAnswers><studentAnswer id="TC_9.9.1">
     <response>TCP has sequence numbers
and a longer header.</response>
     <response_feedback>Correct.</response_feedback><score>1</score>
     <verification_feedback>Correct</verification_feedback></studentAnswer>
   <studentAnswer id="TC_9.9.2"><response>No submission.</response><score>0</score>
     <verification_feedback>Incorrect</verification_feedback></studentAnswer></studentAnswers>
</question>"""


def test_parse_question_reference_and_graded_answers(tmp_path):
    path = tmp_path / "9.9_TC.xml"
    path.write_text(XML, encoding="utf-8")
    q = parse(path)
    assert q.id == "9.9" and q.text.startswith("Name two differences")
    assert [(a.id, a.text, a.score, a.label) for a in q.answers] == [
        ("TC_9.9.1", "TCP has sequence numbers and a longer header.", 1.0, "Correct"),
        ("TC_9.9.2", "No submission.", 0.0, "Incorrect")]
    assert key_points(q.reference) == ["The UDP header is 8 bytes, the TCP header 20 to 60 bytes.",
                                       "TCP has a sequence number.", "UDP has none."]
