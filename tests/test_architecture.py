"""The layering `make lint` enforces: the real tree keeps every contract, and a bad import
of each kind breaks the contract that forbids it (so the contracts can fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("community", "moderation")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """Run import-linter with the project's contracts over the packages in *tree*."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def copy_of_tree(tmp_path_factory) -> Path:
    """The two packages and pyproject.toml, copied where a test may break them."""
    tree = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        (
            "community/questions/services.py",
            "from moderation import queue as _queue  # noqa",
            "Features reach moderation only through moderation.api",
        ),
        (
            "moderation/decisions.py",
            "from community.questions import services as _questions  # noqa",
            "Moderation never imports a feature",
        ),
        (
            "community/core/posts.py",
            "from moderation.api import QueueState as _QueueState  # noqa",
            "Community's core never imports a feature or moderation",
        ),
        (
            "community/assists/models.py",
            "from community.assists import services as _services  # noqa",
            "Models never import services or views",
        ),
        (
            "community/questions/views.py",
            "from community.assists import services as _assists  # noqa",
            "Questions never import the features that build on them",
        ),
    ],
)
def test_a_bad_import_breaks_its_contract(copy_of_tree, module, bad_import, contract):
    path = copy_of_tree / module
    original = path.read_text()
    path.write_text(original + "\n" + bad_import + "\n")
    try:
        result = lint_imports(copy_of_tree)
    finally:
        path.write_text(original)
    assert result.returncode != 0, result.stdout
    assert f"{contract} BROKEN" in result.stdout, result.stdout
