"""Decoding: the bytes of one file become its text, with the best fit per file.

Order: a byte-order mark; UTF-16 without one (its high bytes are NUL or 0x06,
the Arabic block); UTF-8; then a single-byte code page for the whole file
(the page's declared charset for HTML, else charset-normalizer, checked to
read as Arabic). Valid UTF-8 is never re-decoded as a code page: in a UTF-8
file, only the runs of bytes that are not UTF-8 are (a paragraph pasted in
Windows-1256), and stray bytes become U+FFFD. Either is reported as a
warning, so nothing changes the text without a word.
"""

from __future__ import annotations

import codecs
import re

# BOMs, longest first (UTF-32-LE starts like UTF-16-LE).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
LETTER = re.compile(r"[^\W\d_]")
# Arabic single-byte text that a detector may misread as another code page.
ARABIC_CODEPAGES = ("cp1256", "iso8859_6")
# UTF-16 without a BOM: at least this share of the high bytes are 0x00
# (Latin, digits, spaces) or 0x06 (Arabic letters).
UTF16_HIGH_SHARE = 0.9
# A file counts as UTF-8 (with foreign bytes mended) when it holds a run of
# this many valid non-ASCII characters: a single-byte Arabic code page makes
# valid UTF-8 only by accident, one two-byte character at a time.
UTF8_RUN = 3
# A run of foreign bytes is decoded as a code page only from this many bytes
# on (a word or more); shorter runs are stray bytes and become U+FFFD.
CODEPAGE_RUN = 4

ESCAPED = "[\udc80-\udcff]"  # a byte that is not UTF-8, as surrogateescape keeps it
# A valid two-byte character beside foreign bytes and not within a run of
# valid ones: an accident of the code page (cp1256 «ا» + «؟» is valid UTF-8).
ACCIDENT = (r"(?:(?<=[\udc80-\udcff])[\u0080-\u07ff](?![\u0080-\u07ff])"
            r"|(?<![\u0080-\u07ff])[\u0080-\u07ff](?=[\udc80-\udcff]))")
FOREIGN_RUN = re.compile(rf"{ACCIDENT}?{ESCAPED}(?:(?:[\x20-\x7e\t]|{ACCIDENT})*{ESCAPED})*{ACCIDENT}?")
VALID_RUN = re.compile(rf"[\u0080-\ud7ff\ue000-\U0010ffff]{{{UTF8_RUN},}}")


class Unreadable(Exception):
    """A file that cannot be read; the message is the one-line reason."""


def decode(data: bytes, html: bool = False, warnings: list[str] | None = None) -> str:
    """The text of ``data``; what was replaced or re-decoded is appended to
    ``warnings``. Raises Unreadable for empty, binary or undecodable data."""
    warnings = [] if warnings is None else warnings
    if not data.strip():
        raise Unreadable("empty file")
    utf8_bom = data.startswith(codecs.BOM_UTF8)
    data = data[len(codecs.BOM_UTF8):] if utf8_bom else data
    text = None if utf8_bom else _try_bom(data) or _try_utf16(data)
    if text is None:
        if b"\x00" in data:
            raise Unreadable("binary file, not text (NUL bytes)")
        text = _try_utf8(data, warnings)
    if text is None:
        text = (_try_declared(data) if html else None) or _detect(data)
    if text is None or _looks_binary(text):
        raise Unreadable("binary or undecodable file: no text encoding fits")
    if not text.strip():
        raise Unreadable("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _try_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(f"undecodable file: invalid {encoding.upper()} after its byte-order mark") from None
    return None


def _try_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM, told by its high bytes."""
    body = data[:len(data) - len(data) % 2]
    if len(body) < 4:
        return None
    for encoding, high, low in (("utf-16-le", body[1::2], body[0::2]), ("utf-16-be", body[0::2], body[1::2])):
        share = (high.count(0) + high.count(6)) / len(high)
        if share < UTF16_HIGH_SHARE or low.count(0) > len(low) // 2:
            continue
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        visible = [ch for ch in text if not ch.isspace()]
        if visible and sum(bool(LETTER.match(ch)) for ch in visible) >= len(visible) / 2 and not _looks_binary(text):
            return text
    return None


def _try_utf8(data: bytes, warnings: list[str]) -> str | None:
    """UTF-8, cut short inside its last character, or with runs of other
    bytes mended one by one; None when the file is not UTF-8 at all."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for cut in (1, 2, 3):  # an interrupted copy: the text without its last, partial character
        if len(data) > cut and data[-cut] >= 0xC0:
            try:
                return data[:-cut].decode("utf-8")
            except UnicodeDecodeError:
                break
    text = data.decode("utf-8", "surrogateescape")
    if not VALID_RUN.search(text):
        return None  # a single-byte code page: decoded whole, below
    return _mend(text, warnings)


def _mend(text: str, warnings: list[str]) -> str:
    """Each run of foreign bytes in UTF-8 text decoded on its own: as an
    Arabic code page when it reads as one, else as U+FFFD per byte."""
    counts = {"recoded": 0, "replaced": 0}
    first: dict[str, int] = {}
    parts, last = [], 0
    for match in FOREIGN_RUN.finditer(text):
        raw = match.group().encode("utf-8", "surrogateescape")
        foreign = sum(1 for ch in match.group() if "\udc80" <= ch <= "\udcff")
        page = _arabic_codepage(raw) if foreign >= CODEPAGE_RUN else None
        kind = "recoded" if page is not None else "replaced"
        if page is None:
            page = raw.decode("utf-8", "replace")
        counts[kind] += 1 if kind == "recoded" else foreign
        first.setdefault(kind, text.count("\n", 0, match.start()) + 1)
        parts += [text[last:match.start()], page]
        last = match.end()
    parts.append(text[last:])
    if counts["recoded"]:
        warnings.append(f"mixed encodings: {counts['recoded']} passage(s) not in UTF-8 read as Windows-1256 "
                        f"(first on line {first['recoded']})")
    if counts["replaced"]:
        warnings.append(f"{counts['replaced']} byte(s) that are not UTF-8 replaced with U+FFFD "
                        f"(first on line {first['replaced']})")
    return "".join(parts)


def _arabic_codepage(raw: bytes) -> str | None:
    for encoding in ARABIC_CODEPAGES:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _arabic_share(text) >= 0.5:
            return text
    return None


def _try_declared(data: bytes) -> str | None:
    match = HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return data.decode(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess; if that does not read as Arabic but an
    Arabic code page does, the Arabic reading wins."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = str(best) if best is not None else None
    if guess is not None and _arabic_share(guess) >= 0.5:
        return guess
    return _arabic_codepage(data) or guess


def _arabic_share(text: str) -> float:
    letters = len(LETTER.findall(text))
    return len(ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def _looks_binary(text: str) -> bool:
    """Mostly control characters: a binary file that happened to decode."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return "\x00" in text or controls > max(2, len(text) // 100)
