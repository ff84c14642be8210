"""The labelled evaluation corpus (``moderation/data/screening/eval/<lang>.tsv``), read for the
benchmark and the regression test: lines ``label<TAB>category<TAB>text``, ``#`` comments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent.parent / "data" / "screening" / "eval"
LABELS = ("crisis", "safe")


@dataclass(frozen=True)
class Sentence:
    language: str
    crisis: bool
    category: str
    text: str


def read_language(path: Path) -> list[Sentence]:
    sentences = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, category, text = line.split("\t", 2)
        if label not in LABELS:
            raise ValueError(f"{path.name}:{number}: label {label!r} is not crisis or safe")
        sentences.append(Sentence(path.stem, label == "crisis", category.strip(), text.strip()))
    return sentences


def read_corpus(folder: Path = EVAL_DIR) -> dict[str, list[Sentence]]:
    return {path.stem: read_language(path) for path in sorted(folder.glob("*.tsv"))}
