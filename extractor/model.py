"""The result types of extraction: what the crawler, the tracker and the CLI consume."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Attachment:
    url: str  # absolute when a base URL is known
    text: str  # link text


# A government document's own fields, as versions store them (citations are stored apart).
DOCUMENT_FIELDS = (
    "document_number",
    "document_number_normalized",
    "issuing_authority",
    "written_date",
    "index_number",
    "topic",
    "validity",
    "keywords",
)


@dataclass
class Extraction:
    title: str | None = None
    published_at: str | None = None  # ISO 8601: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]", local
    timezone: str | None = None  # UTC offset of published_at ("+08:00"), None without a date
    publisher: str | None = None  # ContentSource / 来源
    text: str = ""  # clean main text, one paragraph per line, the page's own script
    text_simplified: str = ""  # OpenCC t2s of text
    attachments: list[Attachment] = field(default_factory=list)
    # the data tables of the main text, each a list of rows, each a list of cell texts
    # (merged cells repeated); their rows are also lines of text, cells tab-separated
    tables: list[list[list[str]]] = field(default_factory=list)
    # each {"kind": str, "message": str} plus "start"/"end" offsets into text where it applies
    warnings: list[dict] = field(default_factory=list)
    encoding: str | None = None  # the encoding the bytes were decoded with (None for text input)
    site_id_code: str | None = None  # <meta name="SiteIDCode">: the site's code, when marked
    official: bool = False  # the official copy: a *.gov.cn host or a SiteIDCode (official.py)
    # A government document's own fields (extractor/govdoc.py); None when the page lacks them.
    document_number: str | None = None  # 文号 as printed: 粤府办〔2024〕12号
    document_number_normalized: str | None = None  # for matching copies and citations
    issuing_authority: list[str] | None = None  # 发文机关 / the 落款's bodies
    written_date: str | None = None  # 成文日期, ISO date
    index_number: str | None = None  # 索引号
    topic: str | None = None  # 主题分类
    validity: str | None = None  # 有效性 as printed (有效, 失效, 废止 ...)
    keywords: list[str] | None = None  # 主题词
    # references to other documents: {"title", "document_number", "document_number_normalized"}
    citations: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready dict (attachments as plain dicts)."""
        return asdict(self)
