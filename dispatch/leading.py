"""Run the schedule only while leading: standby until the lock is ours, stop when it is lost."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from config import Config
from dispatch import metrics
from dispatch.base import Dispatcher
from dispatch.leader import Leadership
from dispatch.schedule import Schedule

log = logging.getLogger(__name__)


class LeaderOnly:
    """Starts ``begin`` when this process takes the lead and ``end`` the moment it loses it.

    ``start`` returns at once: waiting for the lead happens on a thread of its own, so a
    standby's web app serves meanwhile. The lock is checked every ``check_seconds``.
    """

    def __init__(self, leadership: Leadership, begin: Callable[[], object],
                 end: Callable[[], object], *, check_seconds: float = 1.0) -> None:
        self.leadership = leadership
        self.begin = begin
        self.end = end
        self.check_seconds = check_seconds
        self._stop = threading.Event()
        self._leading = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def leading(self) -> bool:
        return self._leading.is_set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="dispatcher-lead", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.leadership.release()

    def wait_until_leading(self, timeout: float | None = None) -> bool:
        return self._leading.wait(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.leadership.acquire(self._stop):
                return
            self._lead()

    def _lead(self) -> None:
        self.begin()
        self._leading.set()
        metrics.LEADING.set(1)
        try:
            while not self._stop.wait(self.check_seconds):
                if not self.leadership.held():
                    log.error("dispatcher %s: no longer leading; scheduling stops",
                              self.leadership.name)
                    break
        finally:
            self._leading.clear()
            metrics.LEADING.set(0)
            self.end()


class LeadingSchedule:
    """A cluster's schedule: it runs in whichever dispatcher holds the lead, in one only.

    On taking the lead the jobs are synchronised with the configuration, keeping the jobs
    that did not change, so a slot that fell due during the takeover still fires, once.
    """

    def __init__(self, config: Config, dispatcher: Dispatcher) -> None:
        self.schedule = Schedule(config, dispatcher)
        self.lead = LeaderOnly(Leadership(config.storage.url), self._begin, self.schedule.stop)

    def start(self) -> list[str]:
        self.lead.start()
        return []

    def update(self, config: Config) -> None:
        """Sources changed in this process's web app: the jobs follow while leading."""
        self.schedule.update(config)

    def stop(self) -> None:
        self.lead.stop()

    def _begin(self) -> None:
        # Sources added, edited or deleted through another process's web app while this one
        # stood by are read again before its jobs are synchronised.
        self.schedule.update(_with_current_web_sources(self.schedule.config))
        self.schedule.start()


def _with_current_web_sources(config: Config) -> Config:
    from storage.db import open_database
    from storage.sources import WEB, origins, web_sources

    db = open_database(config.storage.url, upgrade=False)
    try:
        with db.reader() as session:
            stored, origin = web_sources(session), origins(session)
    finally:
        db.dispose()
    names = {source.name for source in stored}
    kept = [s for s in config.sources if origin.get(s.name) != WEB and s.name not in names]
    return config.model_copy(update={"sources": [*kept, *stored]})


def schedule_for(config: Config, dispatcher: Dispatcher) -> Schedule | LeadingSchedule:
    """The schedule to run in this process: leader-elected when crawls go to a cluster."""
    if config.cluster is not None:
        return LeadingSchedule(config, dispatcher)
    return Schedule(config, dispatcher)
