"""Opening the database from several threads of one process (a thread-pool Celery worker)."""

from __future__ import annotations

import threading

from storage.db import open_database


def test_threads_open_one_database_at_once(tmp_path):
    """Alembic keeps a running upgrade's context in module globals: threads must take turns."""
    url = f"sqlite:///{tmp_path / 'g.db'}"
    open_database(url).dispose()  # the schema exists; each thread's upgrade finds nothing to do
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_and_close() -> None:
        barrier.wait()
        try:
            for _ in range(5):
                open_database(url).dispose()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
