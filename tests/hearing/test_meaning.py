"""Key points, myths and relevance by meaning; negation decides polarity."""

from __future__ import annotations

from app.hearing import meaning as M
from app.hearing import relevance
from app.hearing.hearing import CONTRADICTED, ESTABLISHED, MISSING, _content

Q = "ecommerce_orders_schema"


def _status(heard, pid):
    return next(p.status for p in heard.points if p.id == pid)


def test_windows_are_sentences_clauses_and_pairs():
    text = "We copy the price into the line; the product can change later. Then we index the customer id."
    spans = [w.text for w in M.windows(text)]
    assert "We copy the price into the line; the product can change later." in spans
    assert "the product can change later." in spans
    assert text in spans  # the two sentences together


def test_polarity_is_the_negation_layer_s_call():
    assert M.polarity("The column order matters here", "The column order does not matter") is False
    assert M.polarity("A common myth is that TCP gives exactly once delivery", "TCP gives exactly once") is False
    assert M.polarity("TCP gives us exactly once delivery", "TCP gives exactly once") is True


def test_a_point_said_in_other_words_is_established(hearing):
    heard = hearing.hear("When somebody checks out, I write down on every line of the order what they paid, "
                         "because the catalogue price will move later.", [Q])
    assert _status(heard, "snapshot_price") == ESTABLISHED
    assert _status(heard, "archive_old_orders") == MISSING


def test_a_denied_point_is_contradicted_not_established(hearing):
    heard = hearing.hear("I would not copy the price into the order line when it is placed.", [Q])
    assert _status(heard, "snapshot_price") == CONTRADICTED


def test_a_myth_in_new_words_is_heard_and_a_rejected_one_is_not(hearing):
    said = hearing.hear("I keep prices as floats, the rounding errors are so small that nobody will notice "
                        "them.", [Q])
    assert "float_money" in [c.item.id for c in said.myths]
    assert all(c.by == "meaning" for c in said.myths)
    denied = hearing.hear("I never keep prices as floats: the rounding errors add up and finance will "
                          "notice them.", [Q])
    assert "float_money" not in [c.item.id for c in denied.myths]


def test_an_answer_to_another_question_is_recognised(hearing):
    heard = hearing.hear("I'd rank the products inside each category with a window function over the summed "
                         "revenue and keep the first three rows per category.", [Q])
    assert relevance.answers_other(heard, Q, words=14) == "top_products_per_category"
    assert relevance.answers_other(heard, Q, words=11) is None  # too few words for a whole answer
    on_topic = hearing.hear("Orders have order lines with the quantity and the price paid, and a payments "
                            "table references the order.", [Q])
    assert relevance.answers_other(on_topic, Q, words=14) is None


def test_a_part_of_a_compound_claim_is_asserted_on_its_own():
    """Parity with the whole claim ("... and has no burst problem") would take "is exact" for a denial."""
    claim = "A fixed-window counter is exact and has no burst problem."
    said = "A plain per-minute counter is exact"
    assert M.polarity(said, claim) is False
    assert M.asserts_part(said, claim, _content) is True
    assert M.asserts_part("A per-minute counter is not exact", claim, _content) is False
    # the truth, naming both parts: the flaw denies the claim's second part (it was probed as the myth)
    assert M.asserts_part("A fixed-window counter is simple, but it has a burst problem at the window edges",
                          claim, _content) is False
