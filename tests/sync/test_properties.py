"""Properties of every plan, over generated schools (reliability anchors §2.3, items 12–15).

Names come from small pools so that homonyms, twins, swapped orders and spellings without
accents happen often; birth dates, classes, loans, lot membership and stored identities are
drawn so that every path of the matching is taken.
"""

import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesame.sync import (
    ExistingBorrower,
    IncomingPerson,
    MatchedBy,
    UpdateOptions,
    apply_plan_in_memory,
    plan_update,
)

LAST = ["MARTIN", "DUPONT", "LEFÈVRE", "N'DIAYE", "LE GALL", "MARTNI"]
FIRST = ["Léa", "Lucas", "Chloé", "Marie", "Jean-Paul"]
DATES = [None, date(2010, 3, 12), date(2011, 3, 12), date(2011, 12, 3), date(2012, 6, 30)]
CLASSES = ["", "6eA", "5eB", "4eA", "3eC", "2nde1"]
STATUSES = ["Élève", "Elève", "Eleve", "Enseignant", "Professeur", "Personnel"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def written_names(draw, lasts, firsts):
    """A name as somebody typed it: order, comma, case and accents vary."""
    last, first = draw(st.sampled_from(lasts)), draw(st.sampled_from(firsts))
    form = draw(st.sampled_from(["plain", "plain", "comma", "swapped", "lower", "bare"]))
    if form == "comma":
        return f"{last}, {first}"
    if form == "swapped":
        return f"{first} {last}"
    if form == "lower":
        return f"{last} {first}".lower()
    if form == "bare":
        return f"{last} {first}".replace("È", "E").replace("é", "e")
    return f"{last} {first}"


@st.composite
def schools(draw):
    """(people of the file, borrowers of the base): identities overlap, some borrowers have none."""
    lasts = draw(st.lists(st.sampled_from(LAST), min_size=1, max_size=4, unique=True))
    firsts = draw(st.lists(st.sampled_from(FIRST), min_size=1, max_size=3, unique=True))
    identities = draw(st.lists(st.integers(0, 20), unique=True, max_size=12))
    people = [
        IncomingPerson(ent_identity=f"ent-{k}", name=draw(written_names(lasts, firsts)),
                       status=draw(st.sampled_from(STATUSES)), school_class=draw(st.sampled_from(CLASSES)),
                       birth_date=draw(st.sampled_from(DATES)),
                       email=draw(st.sampled_from(["", f"p{k}@ac.fr"])), position=rank)
        for rank, k in enumerate(identities, start=1)
    ]
    size = draw(st.integers(0, 12))
    stored = draw(st.lists(st.integers(0, 25), unique=True, min_size=size, max_size=size))
    borrowers = [
        ExistingBorrower(
            borrower_id=100 + i, number=draw(st.integers(1, 10_000)) * 100 + i,
            name=draw(written_names(lasts, firsts)),
            status=draw(st.sampled_from(STATUSES)), school_class=draw(st.sampled_from(CLASSES)),
            birth_date=draw(st.sampled_from(DATES)), email=draw(st.sampled_from(["", "old@ac.fr"])),
            ent_identity=f"ent-{stored[i]}" if draw(st.booleans()) else "",
            borrower_type=draw(st.sampled_from(["Usager", "Usager", "Usager temporaire"])),
            open_loans=draw(st.sampled_from([0, 0, 1, 3])), in_lot=draw(st.booleans()),
        )
        for i in range(size)
    ]
    return people, borrowers


@st.composite
def decisions(draw, people, borrowers):
    """Random answers of a librarian, some of them about pairs that do not exist."""
    identities = [p.ent_identity for p in people] + ["ent-99"]
    ids = [b.borrower_id for b in borrowers] + [999]
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(identities))
    return UpdateOptions(
        resolutions=draw(st.dictionaries(st.sampled_from(identities), st.none() | st.sampled_from(ids),
                                         max_size=3)),
        accepted_suggestions=frozenset(draw(st.lists(pairs, max_size=2))),
        rejected_suggestions=frozenset(draw(st.lists(pairs, max_size=2))),
        final=draw(st.booleans()),
        suggestion_score_floor=draw(st.sampled_from([60.0, 80.0])),
    )


@SETTINGS
@given(data=st.data())
def test_safety_rules_hold_for_any_school_and_any_decisions(data):
    people, base = data.draw(schools())
    options = data.draw(decisions(people, base))
    plan = plan_update(people, base, options)
    by_id = {b.borrower_id: b for b in base}
    # (a) no borrower with an open loan is ever deleted
    assert all(by_id[r.borrower_id].open_loans == 0 for r in plan.deleted)
    # (b) nobody outside the lot is deleted or set aside; set aside means open loans
    assert all(by_id[r.borrower_id].in_lot for r in plan.deleted + plan.set_aside)
    assert all(by_id[r.borrower_id].open_loans > 0 for r in plan.set_aside)
    # (f) every borrower and every person in one group at most; every person in exactly one
    borrower_groups = [u.borrower_id for u in plan.updated] + [r.borrower_id for r in plan.deleted]
    borrower_groups += [r.borrower_id for r in plan.set_aside] + list(plan.held)
    assert len(borrower_groups) == len(set(borrower_groups))
    person_groups = [n.person.ent_identity for n in plan.new] + [u.person.ent_identity for u in plan.updated]
    assert sorted(person_groups) == sorted(p.ent_identity for p in people)
    # pending decisions hold borrowers only in the analysis
    if options.final:
        assert plan.held == ()
    held_by_decision = {b for c in plan.conflicts for b in c.borrower_ids}
    held_by_decision |= {s.borrower_id for s in plan.suggestions}
    assert set(plan.held) == (set() if options.final else held_by_decision)


@SETTINGS
@given(data=st.data())
def test_plan_is_deterministic_whatever_the_order_of_the_base(data):
    people, base = data.draw(schools())
    options = data.draw(decisions(people, base))
    shuffled = list(base)
    random.Random(data.draw(st.integers(0, 1000))).shuffle(shuffled)
    # (d) the same input gives the same plan and the same JSON
    first, second = plan_update(people, base, options), plan_update(people, shuffled, options)
    assert first == second
    assert first.to_json() == second.to_json()


@SETTINGS
@given(data=st.data())
def test_counts_and_json_agree_with_the_groups(data):
    people, base = data.draw(schools())
    plan = plan_update(people, base, data.draw(decisions(people, base)))
    document = plan.to_json()
    # (e)
    assert plan.counts == {
        "new": len(plan.new), "updated": sum(1 for u in plan.updated if u.changes),
        "ambiguous": sum(1 for u in plan.updated if u.ambiguous), "deleted": len(plan.deleted),
        "set_aside": len(plan.set_aside), "conflicts": len(plan.conflicts),
        "suggestions": len(plan.suggestions),
    }
    assert document["counts"] == plan.counts
    assert [n["ent_identity"] for n in document["new"]] == [n.person.ent_identity for n in plan.new]
    assert [u["borrower_number"] for u in document["updated"]] == [
        u.number for u in plan.updated if u.changes or u.ambiguous
    ]
    assert [d["borrower_number"] for d in document["deleted"]] == [r.number for r in plan.deleted]
    assert [s["borrower_number"] for s in document["set_aside"]] == [r.number for r in plan.set_aside]
    assert len(document["conflicts"]) == len(plan.conflicts)
    assert len(document["suggestions"]) == len(plan.suggestions)
    assert plan.is_noop == (not (document["new"] or plan.counts["updated"] or document["deleted"]
                                 or document["set_aside"]))


@SETTINGS
@given(data=st.data())
def test_second_run_after_applying_the_final_plan_is_a_noop(data):
    # given a school, and a librarian who answers every question until none is left
    people, base = data.draw(schools())
    resolutions: dict[str, int | None] = {}
    accepted: set[tuple[int, str]] = set()
    rejected: set[tuple[int, str]] = set()
    answer_all = data.draw(st.booleans())
    for _ in range(30):
        options = UpdateOptions(resolutions=dict(resolutions), accepted_suggestions=frozenset(accepted),
                                rejected_suggestions=frozenset(rejected), final=True)
        plan = plan_update(people, base, options)
        if not answer_all or not (plan.conflicts or plan.suggestions):
            break
        for conflict in plan.conflicts:
            choice = data.draw(st.sampled_from([None, *conflict.borrower_ids]))
            resolutions[conflict.ent_identities[0]] = choice
        for suggestion in plan.suggestions:
            pair = (suggestion.borrower_id, suggestion.ent_identity)
            (accepted if data.draw(st.booleans()) else rejected).add(pair)
    else:
        raise AssertionError("the questions never end")
    # when the final plan is applied and the same file is run again
    after = apply_plan_in_memory(base, plan)
    again = plan_update(people, after)
    # then (c) nothing changes and everybody is found by identity, without ambiguity
    assert again.is_noop
    assert again.conflicts == () and again.suggestions == () and again.held == ()
    assert sorted(u.person.ent_identity for u in again.updated) == sorted(p.ent_identity for p in people)
    assert all(u.matched_by == MatchedBy.IDENTITY and not u.ambiguous for u in again.updated)
    # and the open loans are all still there
    assert sum(b.open_loans for b in after) == sum(b.open_loans for b in base)
