"""The ``qa`` command line.

Every command takes ``--json``; errors are one line on stderr with exit
status 1. Heavy libraries are imported inside the commands so that
``qa --help`` starts fast.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from pathlib import Path

import click

from index.settings import Settings, environment_defaults

environment_defaults()


def _emit(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def store_options(command):
    """Options every store-using command shares; each maps to a QA_ setting."""
    options = [
        click.option("--store", type=click.Path(path_type=Path), help="Store directory (QA_STORE)."),
        click.option("--model", help="Embedding model: sentence-transformers name or path (QA_MODEL)."),
        click.option("--chroma-host", help="Use a Chroma server at this host (QA_CHROMA_HOST)."),
        click.option("--chroma-port", type=int, help="Chroma server port (QA_CHROMA_PORT)."),
        click.option("--collection", help="Chroma collection name (QA_COLLECTION)."),
        click.option("-v", "--verbose", is_flag=True, help="Log what happens."),
    ]
    for option in reversed(options):
        command = option(command)

    @functools.wraps(command)
    def wrapper(*args, store, model, chroma_host, chroma_port, collection, verbose, **kwargs):
        logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                            format="%(levelname)s %(name)s: %(message)s")
        settings = Settings.from_env(store=store, model=model, chroma_host=chroma_host,
                                     chroma_port=chroma_port, collection=collection)
        try:
            return command(*args, settings=settings, **kwargs)
        except click.ClickException:
            raise
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise click.ClickException(message) from exc

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arabic-news-qa")
def cli():
    """Ask questions of Arabic news articles; get short Arabic answers whose
    every sentence cites the article it came from.

    \b
    Start here:
      qa ingest articles/                 add .txt/.html/.jsonl/.json files, folders, zips
      qa ask "ماذا ناقش الأسد وبوتين؟"      answer from the stored articles
      qa chat                             a conversation with follow-up questions
      qa serve                            the web chat on http://127.0.0.1:7860

    Settings come from QA_* environment variables (see the README) and flags.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--delete", "delete", multiple=True, metavar="ID", help="Remove this article id (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@store_options
def ingest(paths, delete, as_json, settings):
    """Add or update articles from files, folders and .zip archives.

    Re-ingesting an unchanged article does nothing; a changed one replaces
    its old chunks. Exit status is 1 only when nothing could be ingested.
    """
    from qa.api import QA

    if not paths and not delete:
        raise click.UsageError("أعطِ ملفاً واحداً على الأقل أو --delete ID "
                               "(give at least one PATH to ingest or --delete ID)")
    summary = QA(settings, create=True).ingest(list(paths), delete=list(delete), progress=None)
    if as_json:
        _emit(summary)
    else:
        click.echo("added {added}, updated {updated}, unchanged {unchanged}, deleted {deleted}, "
                   "chunks written {chunks}".format(**summary))
        for failure in summary["failed"]:
            click.echo(f"failed: {failure['path']}: {failure['error']}", err=True)
        for warning in summary["warnings"]:
            click.echo(f"warning: {warning['path']}: {warning['warning']}", err=True)
    nothing_done = not any(summary[k] for k in ("added", "updated", "unchanged", "deleted"))
    if nothing_done and summary["failed"]:
        sys.exit(1)


def _open(settings):
    from qa.api import QA

    return QA(settings)


def _with_today(settings, today):
    from qa.when import today_from

    if today:
        try:
            today_from(today)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--today") from None
    return settings.replace(today=today)


def _render(answer) -> str:
    """The answer as text (qa/plain.py), the short answer bold on a terminal."""
    from qa.plain import render

    return render(answer, bold=lambda text: click.style(text, bold=True))


composer_option = click.option(
    "--composer", type=click.Choice(["extractive", "llm"]),
    help="Who writes the answer (QA_COMPOSER): extractive, or llm (a model at QA_LLM_URL, every sentence verified).")


def ask_options(command):
    for option in reversed([
        click.option("-k", "--top-k", type=int, help="Passages handed to the composer (QA_TOP_K)."),
        click.option("--source", "sources", multiple=True, help="Only articles from this source (repeatable)."),
        click.option("--since", help="Only articles published on or after YYYY[-MM[-DD]]."),
        click.option("--until", help="Only articles published on or before YYYY[-MM[-DD]]."),
        click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), help="Retrieval (QA_FUSION)."),
        click.option("--today", help="The day «اليوم/أمس/آخر» count from, YYYY-MM-DD (QA_TODAY)."),
        composer_option,
    ]):
        command = option(command)
    return command


@cli.command()
@click.argument("question", required=False)
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='Answer every {"id","question"} line of this JSONL file.')
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where --batch writes its JSONL.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@ask_options
@store_options
def ask(question, batch, out, as_json, top_k, sources, since, until, mode, today, composer, settings):
    """Answer QUESTION from the stored articles, citing them."""
    if bool(question) == bool(batch):
        raise click.UsageError("أعطِ سؤالاً أو --batch IN.jsonl "
                               "(give a QUESTION or --batch IN.jsonl with --out OUT.jsonl)")
    qa = _open(_with_today(settings, today).replace(composer=composer))
    options = dict(k=top_k, sources=sources or None, since=since, until=until, mode=mode)
    if batch:
        if not out:
            raise click.UsageError("يحتاج --batch إلى --out OUT.jsonl (--batch needs --out OUT.jsonl)")
        count = _ask_batch(qa, batch, out, options)
        click.echo(f"answered {count} questions into {out}", err=True)
        return
    answer = qa.ask(question, **options)
    click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) if as_json else _render(answer))
    _finish_fast()


def _ask_batch(qa, batch: Path, out: Path, options: dict) -> int:
    from qa.api import QuestionError

    count = 0
    with batch.open(encoding="utf-8") as lines, out.open("w", encoding="utf-8") as sink:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                question = item["question"]
            except (ValueError, KeyError, TypeError) as exc:
                raise click.ClickException(f"{batch}:{number}: السطر ليس كائناً {{\"id\",\"question\"}} "
                                           f"(not a {{\"id\",\"question\"}} object: {exc})")
            started = time.perf_counter()
            try:
                record = qa.ask(question, **options).to_dict()
            except QuestionError as exc:
                record = {"question": question, "error": str(exc)}
            record = {"id": item.get("id", number), **record,
                      "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print each answer as a JSON line.")
@ask_options
@store_options
def chat(as_json, top_k, sources, since, until, mode, today, composer, settings):
    """A conversation in the terminal: follow-up questions use the earlier
    turns. An empty line or Ctrl-D ends it."""
    from qa.api import QuestionError

    qa = _open(_with_today(settings, today).replace(composer=composer))
    history = []
    while True:
        try:
            question = click.prompt("سؤال", prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        try:
            answer = qa.ask(question, history=history, k=top_k, sources=sources or None, since=since,
                            until=until, mode=mode)
        except QuestionError as exc:
            click.echo(str(exc), err=True)
            continue
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else _render(answer) + "\n")
        history.append((question, answer.text))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@store_options
def articles(as_json, settings):
    """List the stored articles (id, title, source, published, chunks)."""
    rows = _open(settings).articles()
    if as_json:
        _emit(rows)
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['published'] or '—':10}  {row['source'] or '—'}  "
                   f"{row['title'] or '(no title)'}  [{row['chunks']} chunks]")
    click.echo(f"{len(rows)} articles", err=True)


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@store_options
def show(article_id, as_json, settings):
    """Print a stored article as cleaned, with its metadata."""
    article = _open(settings).article(article_id).public_dict()
    if as_json:
        _emit(article)
        return
    for key in ("title", "source", "author", "published", "url", "id"):
        click.echo(f"{key}: {article[key] if article[key] is not None else '—'}")
    click.echo("\n" + article["text"])


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@store_options
def info(as_json, settings):
    """Show where the store is and what built it (model, chunking, counts)."""
    data = _open(settings).info()
    if as_json:
        _emit(data)
    else:
        for key, value in data.items():
            click.echo(f"{key}: {value}")


@cli.command()
@click.option("--host", help="Interface to bind (QA_HOST; 0.0.0.0 on a Space).")
@click.option("--port", type=int, help="Port (QA_PORT).")
@composer_option
@store_options
def serve(host, port, composer, settings):
    """Run the web chat (the same app as `python app.py`)."""
    from web.server import main as serve_web

    serve_web(settings.replace(host=host, port=port, composer=composer))


# Set by read-only commands once their output is written: `main` then ends the
# process without interpreter teardown, which torch, transformers and chromadb
# stretch by 1-3 s. Commands that write (ingest) always exit normally.
_done_reading = False


def _finish_fast() -> None:
    global _done_reading
    _done_reading = True


def main():
    try:
        cli(prog_name="qa")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if not _done_reading:
        sys.exit(code)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
