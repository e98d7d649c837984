"""The Celery application of a cluster: one per process, built from ``[cluster]``.

Delivery is at least once and never concurrent for one source: a task is acknowledged
only when its crawl has ended (``acks_late``), a worker takes one task per free thread
(prefetch 1), a task whose worker died goes back to the queue after the broker's visibility
timeout, and the crawl's own per-source lock turns a second delivery of a crawl still
running into a no-op. Messages carry a source name only: no URL, no secret.
"""

from __future__ import annotations

from celery import Celery

from config import ClusterConfig

CRAWL_TASK = "govwatch.crawl"


def celery_app(cluster: ClusterConfig) -> Celery:
    app = Celery("govwatch", broker=cluster.broker_url, set_as_current=False)
    # How often a worker looks for tasks whose worker died (Redis): a tenth of the
    # visibility timeout, at least every 10 s, so a dead worker's crawl is redelivered soon
    # after the timeout rather than up to 100 s later (kombu's defaults).
    restore_every = max(1, min(10, cluster.visibility_timeout // 10))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_default_queue=cluster.queue,
        task_routes={CRAWL_TASK: {"queue": cluster.queue}},
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_transport_options={
            "visibility_timeout": cluster.visibility_timeout,
            "unacked_restore_interval": restore_every,
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        # Events let Flower and the overview see workers and their tasks.
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    return app
