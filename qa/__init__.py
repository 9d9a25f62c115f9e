"""Ask questions of Arabic news articles: hybrid retrieval and a composer that
writes short Arabic answers citing their sources.

    from qa import QA
    answer = QA.open().ask("ماذا ناقش الأسد وبوتين؟")
"""

__all__ = ["QA", "Answer", "Citation", "QuestionError", "StoreError", "open_store"]


def __getattr__(name):
    # Imported lazily: `qa --help` must not pay for torch and chromadb.
    if name in ("QA", "QuestionError", "StoreError", "open_store"):
        from . import api

        return getattr(api, name)
    if name in ("Answer", "Citation"):
        from . import answer

        return getattr(answer, name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
