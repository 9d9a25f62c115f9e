"""Regenerate the README's CLI reference from `qa --help` (and each
command's --help). `--check` exits 1 when the README is stale (tests run it)."""

import sys
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- cli-help:start -->", "<!-- cli-help:end -->"


def help_text(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="qa", terminal_width=100)
    return result.output.rstrip()


def section() -> str:
    parts = ["### `qa --help`", "", "```", help_text(), "```"]
    for name in sorted(cli.commands):
        parts += ["", f"### `qa {name} --help`", "", "```", help_text(name), "```"]
    return "\n".join(parts)


def render(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{section()}\n{END}{tail}"


def main() -> int:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md CLI section is stale: run python scripts/readme_cli.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
