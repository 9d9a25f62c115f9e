"""Cleaning benchmark: our cleaned text vs trafilatura alone, against the
gold bodies of the pages in ``shared/eval/html-gold/``.

    python -m bench.cleaning [--shared DIR] [--json FILE]

Each page folder holds one ``*.html`` or ``*.html.gz`` and its gold body:
a ``*.txt``, or a ``*.json`` with ``V1.body.sections[].paragraphs``.
Scores are token precision / recall / F1 over bags of words (whitespace
split after punctuation is removed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from index.settings import environment_defaults

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
F1_TARGET = 0.98


def tokens(text: str) -> list[str]:
    """Words after punctuation (Unicode category P*) becomes a space."""
    spaced = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return spaced.split()


def score(predicted: str, gold: str) -> dict:
    pred, ref = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((pred & ref).values())
    p = overlap / max(sum(pred.values()), 1)
    r = overlap / max(sum(ref.values()), 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def load_page(folder: Path) -> tuple[str, str]:
    """(html, gold text) of one page folder."""
    page = next(p for p in sorted(folder.iterdir()) if p.name.endswith((".html", ".htm", ".html.gz")))
    raw = page.read_bytes()
    html = (gzip.decompress(raw) if page.suffix == ".gz" else raw).decode("utf-8", "replace")
    return html, _gold(folder)


def _gold(folder: Path) -> str:
    for path in sorted(folder.glob("*.txt")):
        return path.read_text(encoding="utf-8")
    data = json.loads(next(iter(sorted(folder.glob("*.json")))).read_text(encoding="utf-8"))
    sections = data["V1"]["body"]["sections"]
    return "\n\n".join(p for section in sections for p in section["paragraphs"])


def trafilatura_text(html: str) -> str:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    return (found.text if found is not None else "") or ""


def our_text(html: str, origin: str) -> str:
    from index.clean import clean
    from index.documents import RawDocument

    return clean(RawDocument(origin, html=html)).text


def run(shared: Path) -> list[dict]:
    rows = []
    for folder in sorted(p for p in (shared / "eval" / "html-gold").iterdir() if p.is_dir()):
        html, gold = load_page(folder)
        rows.append({"page": folder.name, "ours": score(our_text(html, folder.name), gold),
                     "trafilatura": score(trafilatura_text(html), gold)})
    return rows


def render(rows: list[dict]) -> str:
    head = f"{'page':<12} {'':<12} {'P':>6} {'R':>6} {'F1':>6}  check"
    lines = [head, "-" * len(head)]
    for row in rows:
        for name in ("ours", "trafilatura"):
            s = row[name]
            check = ("OK" if s["f1"] >= F1_TARGET else "FAIL") if name == "ours" else ""
            lines.append(f"{row['page'] if name == 'ours' else '':<12} {name:<12} "
                         f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}  {check}")
    lines.append(f"target: our F1 >= {F1_TARGET}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    environment_defaults()
    parser = argparse.ArgumentParser(prog="python -m bench.cleaning", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers as JSON")
    args = parser.parse_args(argv)
    rows = run(args.shared)
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row["ours"]["f1"] >= F1_TARGET for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
