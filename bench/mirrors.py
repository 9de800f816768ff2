"""Files of public repositories, read from the snapshots the search tool's `fetch` brings to
/work/.mirror/<owner>+<name>/repo (bare git directories): measurement pages stay references,
never copies in this repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

MIRROR = Path("/work/.mirror")


def git_dir(repo: str) -> Path:
    return MIRROR / repo.replace("/", "+") / "repo"


def git_show(repo: str, commit: str, path: str) -> bytes:
    """The bytes of `path` at `commit` ("HEAD": the snapshot's) of `repo` ("owner/name")."""
    return subprocess.run(["git", f"--git-dir={git_dir(repo)}", "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def git_ls(repo: str, commit: str, folder: str) -> list[str]:
    """The paths of the files under `folder` at `commit`."""
    out = subprocess.run(["git", f"--git-dir={git_dir(repo)}", "ls-tree", "-r", "-z",
                          "--name-only", commit, folder], check=True, capture_output=True).stdout
    return [name for name in out.decode().split("\0") if name]
