"""Everything taken from articles and uploads (titles, text, urls, file
names) reaches the page through these functions: as text, inert for HTML
*and* for Markdown (the chat renders Markdown), and only http(s) urls as links."""

from __future__ import annotations

import html
import re

_INERT = re.compile(r"[&<>\"'\\`*_{}\[\]()#+!|~$]")
_URL = re.compile(r"https?://[^\s<>\"']+$", flags=re.IGNORECASE)


def esc(value) -> str:
    """Like ``html.escape``, and the Markdown punctuation as character
    references too (so ``[x](javascript:…)`` is never a link and ``$`` never LaTeX)."""
    text = "" if value is None else str(value)
    return _INERT.sub(lambda m: f"&#{ord(m.group())};", text)


def esc_lines(value) -> str:
    """``esc`` with line breaks kept (a blank line counts as one break)."""
    return "<br>".join(esc(line) for line in str(value or "").splitlines() if line.strip())


def safe_url(url) -> str | None:
    """Only absolute http(s) urls become links."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if _URL.match(url) else None


def link(url, label: str = "رابط المقال") -> str:
    url = safe_url(url)
    if not url:
        return ""
    return (f'<a class="qa-link" href="{html.escape(url, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer nofollow">{esc(label)}</a>')


def meta_line(*parts) -> str:
    """Escaped metadata joined by middle dots; empty parts left out."""
    return " · ".join(esc(p) for p in parts if p)
