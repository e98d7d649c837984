"""Running crawls: one place that starts, tracks, pauses and schedules them.

A crawl is one process (``govwatch crawl NAME``): Scrapy's reactor cannot be restarted, and
a crashed crawl must not take the service down. Callers (the CLI, the web app, the
scheduled job) ask this package and never build a crawl command themselves.

- ``base``: the ``Dispatcher`` interface (start a crawl of a source, list running crawls,
  stop one) and its errors. ``LocalDispatcher`` (``local``) runs child processes on this
  machine; a distributed dispatcher implements the same interface.
- ``factory``: ``dispatcher_for(config)``, the dispatcher a configuration asks for.
- ``process``: the crawl command and the one function that starts a crawl process.
- ``pausing``: paused sources.
- ``schedule``: next runs, the scheduled crawl job and the scheduler's lifetime
  (``scheduler`` keeps the jobs and triggers).
- ``run``: what a crawl process does (crawl, cluster, alert).
- ``preview``: what a source would watch (``govwatch probe``, the web app's previews and
  add-source form), read now with the crawler's own code (imported on its own: it brings
  in Scrapy).
- With ``[cluster]``, ``cluster`` sends crawls to Celery workers (``worker``,
  ``celery_app``), and ``leader`` / ``leading`` let exactly one dispatcher of the cluster
  run the schedule.
- ``metrics``: Prometheus metrics of the web app, the dispatcher and the workers.
"""

from dispatch.base import AlreadyRunning, Crawl, Dispatcher, UnknownSource
from dispatch.factory import dispatcher_for
from dispatch.leading import schedule_for
from dispatch.local import LocalDispatcher
from dispatch.pausing import paused_sources, set_paused
from dispatch.process import config_path, crawl_command, start_crawl_process
from dispatch.schedule import Schedule, next_run, run_scheduled_crawl

__all__ = [
    "AlreadyRunning",
    "Crawl",
    "Dispatcher",
    "LocalDispatcher",
    "Schedule",
    "UnknownSource",
    "config_path",
    "crawl_command",
    "dispatcher_for",
    "next_run",
    "paused_sources",
    "run_scheduled_crawl",
    "schedule_for",
    "set_paused",
    "start_crawl_process",
]
