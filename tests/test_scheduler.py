from datetime import UTC, datetime

import scheduler
from config import load_config
from dispatch import run_scheduled_crawl
from storage.db import open_database

CONFIG = """
[[sources]]
name = "alpha"
start_urls = ["http://127.0.0.1:9/a/index.html"]
schedule = "15 8 * * 1-5"

[[sources]]
name = "beta"
start_urls = ["http://127.0.0.1:9/b/index.html"]
schedule = "@hourly"
"""


def test_jobs_follow_the_configuration_and_persist(tmp_path):
    path = tmp_path / "govwatch.toml"
    path.write_text(CONFIG, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    open_database(url).dispose()
    config = load_config(path, db_url=url)

    first = scheduler.build_scheduler(config)
    first.start(paused=True)
    jobs = {"crawl_job": run_scheduled_crawl, "config_path": str(path.resolve())}
    ids = scheduler.sync_jobs(first, config, **jobs)
    assert ids == ["alerts:deliver", "crawl:alpha", "crawl:beta"]
    job = first.get_job("crawl:alpha")
    assert job.args == (str(path.resolve()), url, "alpha")
    assert job.func is run_scheduled_crawl
    assert job.max_instances == 1 and job.coalesce and job.misfire_grace_time == 3600
    monday_morning = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert job.trigger.get_next_fire_time(None, monday_morning) == datetime(
        2026, 11, 23, 8, 15, tzinfo=UTC
    )
    saturday = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    assert job.trigger.get_next_fire_time(None, saturday) == datetime(
        2026, 11, 30, 8, 15, tzinfo=UTC
    )
    first.shutdown(wait=False)

    # A restart with a source removed drops its job from the store.
    path.write_text(CONFIG[: CONFIG.index('[[sources]]\nname = "beta"')], encoding="utf-8")
    config = load_config(path, db_url=url)
    second = scheduler.build_scheduler(config)
    second.start(paused=True)
    assert {j.id for j in second.get_jobs()} == {"alerts:deliver", "crawl:alpha", "crawl:beta"}
    scheduler.sync_jobs(second, config, **jobs)
    assert {j.id for j in second.get_jobs()} == {"alerts:deliver", "crawl:alpha"}
    second.shutdown(wait=False)
