"""Writing the chosen sentences out: each quoted word for word and followed
by its markers «[1]», or «[1][2]» when two articles say the same.

    text, citations = render(segments)
"""

from __future__ import annotations

from .answer import Citation
from .candidates import Sentence
from .select import Segment


def render(segments: list[Segment]) -> tuple[str, list[Citation]]:
    citations: dict[tuple[str, int], Citation] = {}
    pieces = []
    for segment in segments:
        numbers = [cite(citations, s).n for s in [segment.sentence, *segment.also]]
        markers = "".join(f"[{n}]" for n in numbers)
        body = f"{segment.prefix} {segment.sentence.text}".strip()
        pieces.append(f"{body} {markers}")
    return " ".join(pieces), list(citations.values())


def cite(citations: dict, sentence: Sentence) -> Citation:
    """The citation of ``sentence``, numbered in order of first use."""
    key = (sentence.article.id, sentence.start)
    if key not in citations:
        a = sentence.article
        citations[key] = Citation(len(citations) + 1, a.id, a.title, a.source, a.url, a.published,
                                  sentence.text, sentence.chunk_id, sentence.score, sentence.start, sentence.end)
    return citations[key]
