"""The Space installs requirements.txt; local installs use pyproject.toml.
They must not drift apart, and the README front matter must name the pinned
gradio."""

import re
import tomllib

from tests.conftest import ROOT


def test_requirements_mirror_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert [line for line in lines if line and not line.startswith("#")] == project["dependencies"]


def test_space_front_matter_matches_pinned_gradio():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    front = readme.split("---")[1]
    assert "sdk: gradio" in front and "app_file: app.py" in front
    pinned = re.search(r'"gradio==([\d.]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    assert f"sdk_version: {pinned}" in front


def test_readme_cli_reference_is_current():
    import subprocess
    import sys

    check = subprocess.run([sys.executable, "scripts/readme_cli.py", "--check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_every_setting_is_documented():
    from dataclasses import fields

    from index.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"`QA_{f.name.upper()}`" not in readme]
    assert not missing, missing
