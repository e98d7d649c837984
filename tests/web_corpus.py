"""A small corpus recorded through the tracker for the web tests (no crawl needed)."""

from __future__ import annotations

from dataclasses import dataclass

BASE = "http://www.changan.gov.cn/zwgk"
REPORT_URL = f"{BASE}/content/post_1001.html"
NOTICE_URL = f"{BASE}/content/post_1002.html"
GONE_URL = f"{BASE}/content/post_1003.html"
REPORT_TITLE = "長安鎮2025年政府工作報告"
REPORT_V1 = (
    "各位代表：\n"
    "現在，我代表鎮人民政府向大會報告工作。\n"
    "全鎮地區生產總值965.2億元，增長5.1%。\n"
    "規模以上工業增加值增長6.3%。"
)
REPORT_V2 = REPORT_V1.replace("965.2", "985.2")
NOTICE_TITLE = "关于开展2026年冬季消防安全检查的通知"
NOTICE_TEXT = "各社区、各有关单位：\n为切实做好冬季消防安全工作，现就有关事项通知如下。"


@dataclass
class Corpus:
    report_id: int
    notice_id: int
    gone_id: int


def record_corpus(recorder) -> Corpus:  # noqa: ANN001 - conftest's Recorder
    """Baseline of a report, then a new notice, an edited figure, and a removed page.

    Each observation is a run of its own; a removal is believed when two runs see it.
    """
    from sqlalchemy import select

    from storage.models import Document

    recorder.observe(REPORT_URL, REPORT_TITLE, REPORT_V1, publisher="长安镇人民政府")
    recorder.observe(GONE_URL, "临时通告", "本通告即日起生效。")
    recorder.observe(NOTICE_URL, NOTICE_TITLE, NOTICE_TEXT)
    recorder.observe(
        REPORT_URL,
        REPORT_TITLE,
        REPORT_V2,
        publisher="长安镇人民政府",
        attachments=[(f"{BASE}/attachment/report.pdf", "报告全文.pdf")],
    )
    recorder.observe(GONE_URL, None, "", status=404)
    recorder.observe(GONE_URL, None, "", status=404)  # gone on two runs: removed
    with recorder.db.reader() as session:
        ids = dict(session.execute(select(Document.url, Document.id)).all())
    return Corpus(ids[REPORT_URL], ids[NOTICE_URL], ids[GONE_URL])


def web_config(token: str | None = "write-token-123", read_token: str | None = None):
    from config import Config

    web = {k: v for k, v in {"token": token, "read_token": read_token}.items() if v}
    return Config.model_validate(
        {
            "sources": [{"name": "changan", "start_urls": [f"{BASE}/index.html"]}],
            "web": web,
            # previews in the tests read portals on 127.0.0.1
            "crawl": {"allow_private_addresses": True},
        }
    )


class ServedApp:
    """The web app under uvicorn in a thread on 127.0.0.1, as a browser reaches it."""

    def __init__(self, app) -> None:  # noqa: ANN001 - a FastAPI app
        import threading

        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServedApp:
        import time

        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
