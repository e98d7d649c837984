"""The revisit policy: pure functions over a small state record, no clock and no database.

A document's chance of having changed since it was last seen is modelled as a Poisson
process whose rate has three parts:

* its own long-run rate, learned from its change history (changes over the time it has been
  watched, with a weak prior), so a page edited every week is soon visited about daily and a
  page never edited drifts towards ``max_interval``;
* a correction burst after publication: government documents are corrected mostly in
  their first days, so a young document is visited often and less so as it ages;
* a burst after each observed change, because corrections come in runs.

The next visit is when that chance reaches ``target``, bounded by ``min_interval`` and
``max_interval`` and never in the past. A listing or sitemap that shows a newer date than
the last visit makes a document due at once. A run's budget goes to the due documents with
the highest expected value: the chance of a change times the document's weight, which grows
with the significance of its past changes; a document past ``max_interval`` outranks all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

DAY = 86400.0
RESOLUTION = 300.0  # seconds: finer than any crawl schedule


@dataclass(frozen=True)
class Policy:
    min_interval: timedelta = timedelta(hours=1)
    max_interval: timedelta = timedelta(days=30)
    # a visit is due when the chance of a change since the last one reaches this
    target: float = 0.08
    # prior on a document's own rate: `prior_changes` changes in `prior_days` days; weak,
    # so that a few unchanged visits soon lengthen the interval and a weekly page shows
    prior_changes: float = 0.5
    prior_days: float = 2.0
    # expected corrections after publication, spread with this time constant (days)
    young_changes: float = 0.6
    young_days: float = 1.5
    # expected further changes after an observed one, and their time constant (days)
    after_change: float = 0.4
    after_change_days: float = 2.0
    # weight of a document whose changes were never scored, and of each past change's
    # significance in the running average (0..1)
    prior_weight: float = 0.5
    weight_memory: float = 0.3


@dataclass(frozen=True)
class RevisitState:
    """What the policy knows about one document."""

    first_seen: datetime
    last_visit: datetime
    next_visit: datetime
    visits: int = 1
    changes: int = 0  # changes seen after the first version
    last_change: datetime | None = None
    weight: float = 0.5  # running average of past changes' significance
    published: datetime | None = None  # the document's own date, when it gives one


def first_visit(now: datetime, policy: Policy, published: datetime | None = None) -> RevisitState:
    """A document just stored for the first time (``published``: the date it gives)."""
    state = RevisitState(first_seen=now, last_visit=now, next_visit=now,
                         weight=policy.prior_weight, published=published)
    return replace(state, next_visit=next_visit(state, policy))


def after_visit(state: RevisitState, now: datetime, *, changed: bool, significance: float = 0.0,
                policy: Policy) -> RevisitState:
    """The state after a successful visit; ``changed``: a new version was stored."""
    now = max(now, state.last_visit)
    if changed:
        weight = (1 - policy.weight_memory) * state.weight + policy.weight_memory * significance
        state = replace(state, changes=state.changes + 1, last_change=now, weight=weight)
    state = replace(state, last_visit=now, visits=state.visits + 1)
    return replace(state, next_visit=next_visit(state, policy))


def listing_signal(state: RevisitState, listed: datetime, now: datetime) -> RevisitState:
    """A listing or sitemap dates the document ``listed``: later than the last visit is due now."""
    if listed > state.last_visit and state.next_visit > now:
        return replace(state, next_visit=now)
    return state


def change_rate(state: RevisitState, at: datetime, policy: Policy) -> float:
    """Expected changes per day at ``at``: own rate plus what is left of the bursts."""
    age = _days(at - _born(state))
    rate = _own_rate(state, policy) + _burst_rate(age, policy.young_changes, policy.young_days)
    if state.last_change is not None:
        rate += _burst_rate(_days(at - state.last_change), policy.after_change,
                            policy.after_change_days)
    return rate


def p_changed(state: RevisitState, at: datetime, policy: Policy) -> float:
    """The chance that the document changed between its last visit and ``at``."""
    return 1.0 - math.exp(-_expected_changes(state, state.last_visit, at, policy))


def expected_value(state: RevisitState, now: datetime, policy: Policy) -> float:
    """What visiting now is worth: P(changed) x weight; past ``max_interval`` it outranks all."""
    if now - state.last_visit >= policy.max_interval:
        return 1.0 + _days(now - state.last_visit)
    return p_changed(state, now, policy) * (0.25 + 0.75 * state.weight)


def next_visit(state: RevisitState, policy: Policy) -> datetime:
    """When the chance of a change reaches ``target``, within the bounds, never in the past."""
    start = state.last_visit
    low, high = policy.min_interval.total_seconds(), policy.max_interval.total_seconds()
    if p_changed(state, start + timedelta(seconds=high), policy) < policy.target:
        return start + policy.max_interval
    if p_changed(state, start + timedelta(seconds=low), policy) >= policy.target:
        return start + policy.min_interval
    while high - low > RESOLUTION:  # bisection: the chance only grows with time
        middle = (low + high) / 2
        if p_changed(state, start + timedelta(seconds=middle), policy) >= policy.target:
            high = middle
        else:
            low = middle
    return start + timedelta(seconds=high)


def _expected_changes(state: RevisitState, start: datetime, end: datetime,
                      policy: Policy) -> float:
    if end <= start:
        return 0.0
    span = _days(end - start)
    total = _own_rate(state, policy) * span
    total += _burst_mass(_days(start - _born(state)), span, policy.young_changes,
                         policy.young_days)
    if state.last_change is not None:
        total += _burst_mass(_days(start - state.last_change), span, policy.after_change,
                             policy.after_change_days)
    return total


def _born(state: RevisitState) -> datetime:
    """Where a document's age counts from: its own date, unless that is later than seen."""
    if state.published is not None and state.published <= state.first_seen:
        return state.published
    return state.first_seen


def _own_rate(state: RevisitState, policy: Policy) -> float:
    watched = max(0.0, _days(state.last_visit - state.first_seen))
    return (state.changes + policy.prior_changes) / (watched + policy.prior_days)


def _burst_rate(age: float, mass: float, tau: float) -> float:
    return mass / tau * math.exp(-max(age, 0.0) / tau)


def _burst_mass(age: float, span: float, mass: float, tau: float) -> float:
    """Expected changes of a decaying burst between ``age`` and ``age + span`` days."""
    age = max(age, 0.0)
    return mass * (math.exp(-age / tau) - math.exp(-(age + span) / tau))


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / DAY
