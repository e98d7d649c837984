"""The commented configuration written by ``govwatch init``."""

SAMPLE_CONFIG = """\
# govwatch configuration. Every field is optional except each source's name and start_urls.

[storage]
# Any SQLAlchemy URL. The default keeps everything in one SQLite file.
# PostgreSQL: url = "postgresql+psycopg://user@127.0.0.1:5432/govwatch"
url = "sqlite:///govwatch.db"

[notify]
# Apprise URLs that receive every source's alerts, for example:
#   "dingtalk://SECRET@TOKEN"      DingTalk group robot (signing secret optional)
#   "wecombot://KEY"               WeCom (企业微信) group robot
#   "feishu://TOKEN"               Feishu / Lark robot
#   "mailtos://user:password@example.com?to=team@example.com"
#   "json://127.0.0.1:8099/hook"   a JSON webhook (title, message, type)
urls = []
retry_minutes = 5        # first retry after this, doubling each time
max_attempts = 10        # then the alert is marked failed (and logged)

[crawl]
# Politeness: government sites are small; crawl them gently.
obey_robots = true
concurrency_per_host = 2
download_delay = 1.0     # seconds between requests to one host
autothrottle = true
timeout = 30             # seconds per request
retries = 2              # for timeouts, resets and 5xx
max_bytes = 20971520     # larger pages are refused and recorded as errors

[web]
# host = "127.0.0.1"
# port = 8080
# token = "a long random string"   # needed for write actions (crawl now, pause, resume)
# read_token = "another long string"   # set to require a token for reading too
# base_url = "https://govwatch.example.org"   # alerts link to the full diff there

[[sources]]
name = "example"                                   # used on the command line
start_urls = ["https://www.example.gov.cn/zwgk/gzbg/index.html"]   # listing pages
schedule = "0 */6 * * *"     # crontab: minute hour day month weekday (0 = Sunday)
# allow = ['/content/post_\\d+\\.html$']   # regexes article URLs must match
#                                           # (default: the usual government CMS patterns)
# deny = []                                 # regexes of URLs never to fetch
# listing = "auto"          # auto, html, trs, hanweb, gkmlpt, sitemap or feed
# max_pages = 500                           # articles fetched per run at most
# notify = ["wecombot://KEY"]               # added to [notify] urls for this source
# min_significance = 0.0     # 0-1: smaller changes are stored and listed, not alerted
# additions_only = false     # alert only new documents and changes that remove nothing
# digest = false             # one message per crawl run instead of one per event
# max_alerts_per_run = 20    # above this, a run sends one summary (e.g. a site redesign)
"""
