import pytest

from config.crontab import CrontabError, parse_crontab


def test_plain_expression_passes_through():
    assert parse_crontab("0 */6 * * *") == {
        "minute": "0",
        "hour": "*/6",
        "day": "*",
        "month": "*",
        "day_of_week": "*",
    }


@pytest.mark.parametrize(
    ("weekday", "names"),
    [
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0,6", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("mon-wed", "mon,tue,wed"),
    ],
)
def test_weekday_zero_is_sunday_as_in_crontab(weekday, names):
    assert parse_crontab(f"30 8 * * {weekday}")["day_of_week"] == names


def test_aliases():
    assert parse_crontab("@daily") == parse_crontab("0 0 * * *")
    assert parse_crontab("@weekly")["day_of_week"] == "sun"


def test_matches_apscheduler_firing_days():
    from datetime import UTC, datetime

    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger(**parse_crontab("0 9 * * 0"), timezone="UTC")
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 23, tzinfo=UTC))  # a Monday
    assert fire == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    assert fire.strftime("%A") == "Sunday"


@pytest.mark.parametrize(
    ("expression", "complaint"),
    [
        ("0 */6 * *", "expected 5 fields"),
        ("61 * * * *", "outside 0-59"),
        ("0 24 * * *", "outside 0-23"),
        ("0 0 * 13 *", "outside 1-12"),
        ("0 0 * * 8", "outside 0-7"),
        ("*/0 * * * *", "step of 0"),
        ("5-1 * * * *", "backwards"),
        ("a * * * *", "not a number"),
        ("0 0 1 * 1", "both day-of-month and day-of-week"),
    ],
)
def test_rejects_bad_expressions(expression, complaint):
    with pytest.raises(CrontabError, match=complaint):
        parse_crontab(expression)
