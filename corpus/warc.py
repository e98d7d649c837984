"""Raw responses as a WARC file (ISO 28500, gzip per record), written with warcio.

Each stored version becomes one ``response`` record: the bytes the portal sent, behind an
HTTP head rebuilt from the stored status and headers. Its WARC-Record-ID is derived from
the version (corpus/records.py), so the JSONL, CSV and Parquet exports name the same IDs.
Two extension fields carry the provenance archivists ask about: the source and the
canonical URL of the document's cluster.
"""

from __future__ import annotations

import zlib
from http import HTTPStatus
from io import BytesIO
from typing import Any, BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers that described the transfer, not the stored (already decoded) body.
_TRANSFER_HEADERS = ("content-length", "content-encoding", "transfer-encoding")


class WarcOut:
    def __init__(self, stream: BinaryIO, filename: str) -> None:
        self.writer = WARCWriter(stream, gzip=True)
        info = self.writer.create_warcinfo_record(
            filename, {"software": "govwatch", "format": "WARC File Format 1.1"}
        )
        self.writer.write_record(info)

    def write(self, record: dict[str, Any]) -> None:
        body = zlib.decompress(record["raw_compressed"])
        status = record["http_status"] or 200
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        headers = [
            (name.title(), str(value))
            for name, value in record["headers"].items()
            if name not in _TRANSFER_HEADERS
        ]
        headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
        warc_headers = {
            "WARC-Record-ID": record["warc_record_id"],
            "WARC-Date": record["fetched_at_datetime"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "WARC-Govwatch-Source": record["source"],
        }
        if record["canonical_url"]:
            warc_headers["WARC-Govwatch-Canonical-URI"] = record["canonical_url"]
        response = self.writer.create_warc_record(
            record["url"],
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        self.writer.write_record(response)
