"""README.md tells the truth: its examples are checked against the code."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.cli import command_names
from crawler.config import load_config

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_sources_file_example_is_a_valid_sources_file(tmp_path):
    example = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert example, "README.md has no ```yaml sources example"
    path = tmp_path / "sources.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    config = load_config(path)
    assert [source.name for source in config.sources] == ["antaranews"]
    assert config.sources[0].clean_rules.drop_selectors == ("div.baca-juga",)


def test_the_readme_lists_every_subcommand():
    text = README.read_text(encoding="utf-8")
    for name in command_names():
        assert f"liputan {name}" in text, name
