"""Raw articles: reading them, their lines, and the raw manifest that pins their bytes.

Raw files live in ``data/raw/<cluster_id>/<article_id>.txt``; ``data/raw/MANIFEST.json`` records the sha256
and size of each one, and nothing is built from a raw file that no longer matches it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem, decode_utf8, raise_if
from .spans import Span

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RAW_MANIFEST = "MANIFEST.json"


@dataclass(frozen=True)
class Line:
    """One line of an article: numbered from 1, without its ``\\n``."""

    line_no: int
    start: int
    end: int
    text: str

    @property
    def is_blank(self) -> bool:
        return is_blank_text(self.text)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass(frozen=True)
class Article:
    article_id: str
    cluster_id: str
    text: str
    lines: tuple[Line, ...] = field(repr=False, compare=False, default=())

    @classmethod
    def from_text(cls, article_id: str, cluster_id: str, text: str) -> Article:
        return cls(article_id, cluster_id, text, tuple(split_lines(text)))

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)

    @property
    def content_lines(self) -> list[Line]:
        """The lines that carry a label: every line that is not empty or white space only."""
        return [line for line in self.lines if not line.is_blank]

    def line(self, line_no: int) -> Line | None:
        return self.lines[line_no - 1] if 1 <= line_no <= len(self.lines) else None


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


def is_blank_text(text: str) -> bool:
    """Whether a line's text is empty or white space only: such a line carries no label."""
    # str.isspace() also covers the no-break spaces some sites leave on "empty" lines.
    return not text or text.isspace()


def split_lines(text: str) -> Iterator[Line]:
    """Lines as maximal runs between ``\\n`` (so a final ``\\n`` ends with one empty line)."""
    start = 0
    for number, piece in enumerate(text.split("\n"), start=1):
        yield Line(number, start, start + len(piece), piece)
        start += len(piece) + 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """``sha256_bytes`` of a file's content, read in blocks (a release file can be larger than memory allows)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def raw_files(raw_dir: Path) -> list[Path]:
    return sorted(raw_dir.glob("*/*.txt"))


def read_raw_manifest(raw_dir: Path) -> dict[str, dict[str, int | str]]:
    path = raw_dir / RAW_MANIFEST
    if not path.exists():
        raise InputError([Problem(str(path), 0, "-", "raw manifest is missing; add articles with `newsgold add`")])
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        entries = {entry["path"]: entry for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError) as error:
        raise InputError([Problem(str(path), 0, "files", f"not a raw manifest: {error}")]) from None
    raise_if([Problem(str(path), 0, "files", f"not a raw manifest: an entry's path is {name!r}, not a string")
              for name in entries if not isinstance(name, str)])
    return entries


def load_corpus(raw_dir: Path) -> dict[str, Article]:
    """Read every raw article, refusing any file that does not match the raw manifest."""
    manifest = read_raw_manifest(raw_dir)
    problems: list[Problem] = []
    articles: dict[str, Article] = {}
    seen: set[str] = set()
    for path in raw_files(raw_dir):
        relative = path.relative_to(raw_dir).as_posix()
        seen.add(relative)
        data = path.read_bytes()
        entry = manifest.get(relative)
        if entry is None:
            problems.append(
                Problem(str(path), 0, "-", "raw file is not in the raw manifest; add it with `newsgold add`"))
            continue
        if entry.get("sha256") != sha256_bytes(data) or entry.get("size") != len(data):
            problems.append(Problem(str(path), 0, "sha256",
                                    "raw file no longer matches the raw manifest (sha256 or size changed)"))
            continue
        cluster_id, article_id = path.parent.name, path.stem
        for name, value in (("cluster_id", cluster_id), ("article_id", article_id)):
            if not ID_PATTERN.match(value):
                problems.append(Problem(str(path), 0, name, f"{value!r} is not a valid id (a-z, 0-9, _ and -)"))
        if article_id in articles:
            problems.append(Problem(str(path), 0, "article_id", f"duplicate article id {article_id!r}"))
        text, not_utf8 = decode_utf8(data, str(path))
        if text is None:
            problems += not_utf8
            continue
        articles[article_id] = Article.from_text(article_id, cluster_id, text)
    for missing in sorted(set(manifest) - seen):
        problems.append(Problem(str(raw_dir / missing), 0, "-", "listed in the raw manifest but missing"))
    raise_if(problems)
    return articles


def read_articles(folder: Path) -> dict[str, Article]:
    """Plain-text articles from any folder, no manifest needed: what a system is run on outside a release.

    ``<folder>/*.txt`` are one cluster, named after the folder; ``<folder>/<cluster>/*.txt`` (the layout of
    ``data/raw``) are one cluster per subfolder. The article id is the file name without ``.txt``. Every file is
    read as UTF-8 byte for byte; InputError lists every bad id, duplicate id and undecodable file at once.
    """
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, "-", "no such folder")])
    problems: list[Problem] = []
    articles: dict[str, Article] = {}
    paths = [(folder.resolve().name, p) for p in sorted(folder.glob("*.txt"))]
    paths += [(p.parent.name, p) for p in sorted(folder.glob("*/*.txt"))]
    for cluster_id, path in paths:
        article_id = path.stem
        if not ID_PATTERN.match(article_id):
            problems.append(Problem(str(path), 0, "article_id", f"{article_id!r} is not a valid id (a-z, 0-9, _ and "
                                                                "-): rename the file"))
            continue
        if article_id in articles:
            problems.append(Problem(str(path), 0, "article_id", f"duplicate article id {article_id!r}"))
            continue
        text, not_utf8 = decode_utf8(path.read_bytes(), str(path))
        if text is None:
            problems += not_utf8  # one problem for each line that holds a bad byte
            continue
        articles[article_id] = Article.from_text(article_id, cluster_id, text)
    if not articles and not problems:
        problems.append(Problem(str(folder), 0, "-", "no *.txt article in it (or in its subfolders)"))
    raise_if(problems)
    return articles


def write_raw_manifest(raw_dir: Path) -> None:
    files = [
        {"path": p.relative_to(raw_dir).as_posix(), "sha256": sha256_bytes(p.read_bytes()), "size": p.stat().st_size}
        for p in raw_files(raw_dir)
    ]
    text = json.dumps({"files": files}, indent=2, ensure_ascii=False) + "\n"
    (raw_dir / RAW_MANIFEST).write_text(text, encoding="utf-8")


def add_articles(raw_dir: Path, cluster_id: str, sources: list[Path]) -> list[Path]:
    """Copy raw article files into a cluster, byte for byte, and record them in the raw manifest."""
    problems = []
    if not ID_PATTERN.match(cluster_id):
        problems.append(
            Problem("<command line>", 0, "cluster", f"{cluster_id!r} is not a valid id (a-z, 0-9, _ and -)"))
    for source in sources:
        if not source.is_file():
            problems.append(Problem(str(source), 0, "-", "no such file"))
        elif source.suffix != ".txt" or not ID_PATTERN.match(source.stem):
            problems.append(Problem(str(source), 0, "-", "raw files are named <article_id>.txt with a valid id"))
        else:
            problems += decode_utf8(source.read_bytes(), str(source))[1]
    raise_if(problems)
    target_dir = raw_dir / cluster_id
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        target = target_dir / source.name
        shutil.copyfile(source, target)
        written.append(target)
    write_raw_manifest(raw_dir)
    return written
