"""Decoding a compressed body without ever holding more than the body cap.

httpx decodes a whole chunk at once, so a small gzip chunk can grow into
hundreds of megabytes before a size check sees it (a 400 KB gzip body raised
peak memory by 259 MiB under a 4 MiB cap). zlib's `max_length` stops
decompression at the cap instead; what is beyond it is never produced.
"""

from __future__ import annotations

import zlib

# What the gate asks for, and so what it can decode within its cap.
ACCEPT_ENCODING = "gzip, deflate"


class TooLarge(Exception):
    """The decoded body is over the cap."""


class UnknownEncoding(Exception):
    """The body is in a content coding the gate did not ask for."""


class BoundedDecoder:
    """Decodes one body's Content-Encoding chunk by chunk, at most `limit` bytes in all."""

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [part.strip().lower() for part in encoding.split(",") if part.strip()]
        codings = [coding for coding in codings if coding != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnknownEncoding(encoding)
        self.coding = codings[0] if codings else None
        self.limit = limit
        self.size = 0
        self._first = True
        self._inflate: zlib._Decompress | None = None
        if self.coding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, chunk: bytes) -> bytes:
        """The decoded bytes of `chunk`; TooLarge once the body passes the cap."""
        if self.coding is None:
            return self._counted(chunk)
        if self._inflate is None:
            # `deflate` is meant to be zlib-wrapped, but some servers send it
            # raw; the first bytes tell which.
            wrapped = len(chunk) >= 2 and (chunk[0] * 256 + chunk[1]) % 31 == 0
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            # One byte more than the room left shows the cap is passed,
            # without decompressing the rest.
            data = self._inflate.decompress(chunk, self.limit - self.size + 1)
        except zlib.error as exc:
            raise UnknownEncoding(f"{self.coding} that does not decode ({exc})") from None
        return self._counted(data)

    def finish(self) -> bytes:
        """What the decoder still holds once the body has ended."""
        if self._inflate is None:
            return b""
        return self._counted(self._inflate.flush())

    def _counted(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge
        return data
