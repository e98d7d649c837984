"""The result types of extraction: what the crawler, the tracker and the CLI consume."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Attachment:
    url: str  # absolute when a base URL is known
    text: str  # link text


@dataclass
class Extraction:
    title: str | None = None
    published_at: str | None = None  # ISO 8601: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]"
    publisher: str | None = None  # ContentSource / 来源
    text: str = ""  # clean main text, one paragraph per line, the page's own script
    text_simplified: str = ""  # OpenCC t2s of text
    attachments: list[Attachment] = field(default_factory=list)
    # each {"kind": str, "message": str} plus "start"/"end" offsets into text where it applies
    warnings: list[dict] = field(default_factory=list)
    encoding: str | None = None  # the encoding the bytes were decoded with (None for text input)
    site_id_code: str | None = None  # <meta name="SiteIDCode">: the site's code, when marked
    official: bool = False  # the official copy: a *.gov.cn host or a SiteIDCode (official.py)

    def to_dict(self) -> dict:
        """A JSON-ready dict (attachments as plain dicts)."""
        return asdict(self)
