"""The revisit policy on a driven clock: young edits are caught, old removals seen, budgets kept."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from revisits.budget import choose
from revisits.policy import (
    Policy,
    RevisitState,
    after_visit,
    expected_value,
    first_visit,
    listing_signal,
    next_visit,
)

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
RUN = timedelta(hours=6)  # the default schedule: a run every six hours
POLICY = Policy()


def _runs(start: datetime, until: datetime):
    moment = start
    while moment <= until:
        yield moment
        moment += RUN


def _detection(state: RevisitState, edited: datetime, until: datetime) -> datetime | None:
    """Drive runs from the last visit: the first visit after ``edited``."""
    for now in _runs(state.last_visit + RUN, until):
        if state.next_visit <= now:
            if now >= edited:
                return now
            state = after_visit(state, now, changed=False, policy=POLICY)
    return None


def test_an_edit_on_the_first_day_of_a_document_is_caught_within_a_day():
    for hours in range(1, 24):
        published = T0 - timedelta(hours=2)
        state = first_visit(T0, POLICY, published=published)
        edited = published + timedelta(hours=hours)
        found = _detection(state, edited, T0 + timedelta(days=3))
        assert found is not None and found - edited <= timedelta(days=1), hours


def test_intervals_shorten_after_a_change_and_lengthen_while_unchanged():
    old = T0 - timedelta(days=400)
    state = first_visit(T0, POLICY, published=old)
    intervals = []
    now = T0
    for _ in range(6):
        now = state.next_visit
        state = after_visit(state, now, changed=False, policy=POLICY)
        intervals.append(state.next_visit - state.last_visit)
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0]
    changed = after_visit(state, state.next_visit, changed=True, significance=0.8, policy=POLICY)
    assert changed.next_visit - changed.last_visit < intervals[-1]


def test_a_withdrawn_old_document_is_seen_within_max_revisit_interval():
    policy = Policy(max_interval=timedelta(days=30))
    state = first_visit(T0, policy, published=T0 - timedelta(days=900))
    now = T0
    for _ in range(40):  # long unchanged: the interval reaches its bound and stays there
        now = state.next_visit
        state = after_visit(state, now, changed=False, policy=policy)
    assert state.next_visit - state.last_visit == timedelta(days=30)
    # Withdrawn just after that visit; many young documents compete for a budget of one
    # request per run, and still the old one is visited by its bound.
    young = [first_visit(now, policy) for _ in range(50)]
    seen = None
    for moment in _runs(now + RUN, now + timedelta(days=31)):
        candidates = [("old", state)] + [(i, s) for i, s in enumerate(young)]
        due = [(key, s) for key, s in candidates if s.next_visit <= moment]
        if "old" in choose(due, moment, 1, policy):
            seen = moment
            break
    assert seen is not None and seen - state.last_visit <= timedelta(days=30) + RUN


def test_next_visit_is_never_in_the_past_and_always_within_the_bounds():
    rng = random.Random(3)
    for _ in range(300):
        first = T0 - timedelta(days=rng.uniform(0, 50))
        last = first + timedelta(days=rng.uniform(0, 50))
        change = first + (last - first) * rng.random() if rng.random() < 0.5 else None
        state = RevisitState(first, last, last, visits=rng.randint(1, 30),
                             changes=rng.randint(0, 10), last_change=change,
                             weight=rng.random(), published=first - timedelta(days=1))
        moment = next_visit(state, POLICY)
        assert state.last_visit + POLICY.min_interval <= moment
        assert moment <= state.last_visit + POLICY.max_interval
        later = after_visit(state, last - timedelta(days=2), changed=True, policy=POLICY)
        assert later.next_visit > later.last_visit >= state.last_visit


def test_a_newer_listing_date_makes_a_document_due_now():
    state = first_visit(T0, POLICY, published=T0 - timedelta(days=100))
    now = T0 + timedelta(hours=3)
    assert state.next_visit > now
    assert listing_signal(state, T0 - timedelta(days=1), now).next_visit > now  # older date
    assert listing_signal(state, T0 + timedelta(hours=2), now).next_visit == now


def test_the_budget_is_never_exceeded_and_goes_to_the_most_valuable():
    rng = random.Random(5)
    now = T0 + timedelta(days=40)
    states = []
    for index in range(200):
        first = T0 - timedelta(days=rng.uniform(0, 300))
        states.append((index, RevisitState(first, T0 + timedelta(days=rng.uniform(0, 39)), now,
                                           changes=rng.randint(0, 5),
                                           weight=rng.random())))
    for budget in (0, 1, 7, 50, 199, 500):
        chosen = choose(states, now, budget, POLICY)
        assert len(chosen) == min(budget, len(states)) and len(set(chosen)) == len(chosen)
        values = {key: expected_value(s, now, POLICY) for key, s in states}
        if chosen and len(chosen) < len(states):
            assert min(values[k] for k in chosen) >= max(
                v for k, v in values.items() if k not in set(chosen)
            )
