"""Checks of a whole dataset: schemas, spans, references, keys, coverage and the manifest.

Every check reports all it finds as :class:`~newsgold.errors.Problem` lines ``path:line: field: message``.
The same checks run on the gold during ``newsgold build`` (problems point into ``annotation/gold``) and on a
release folder with ``newsgold validate`` (problems point into ``data/``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterator, Mapping, Sized
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import Article, Line, read_raw_manifest, sha256_text, split_lines
from ..errors import InputError, Problem
from ..jsonl import Row, parse_jsonl, read_jsonl
from ..progress import LARGE_BYTES, progress_bar
from ..records import CONFIGS, RECORD_TYPES, RecordType, walk
from ..schemas import schema_problems
from ..spans import span_problem
from .layout import MANIFEST, file_entry, release_file, release_paths

if TYPE_CHECKING:
    from .fast_checks import Sound


def articles_from_rows(rows: list[Row]) -> dict[str, Article]:
    articles = {}
    for row in rows:
        record = row.data
        if isinstance(record.get("article_id"), str) and isinstance(record.get("text"), str):
            articles[record["article_id"]] = Article.from_text(record["article_id"], str(record.get("cluster_id")),
                                                               record["text"])
    return articles


def check_records(rows: dict[str, list[Row]], *, derive_from: dict[str, Article] | None = None) -> list[Problem]:
    """Every problem of a set of records, config by config, after which references and coverage.

    Each row is first checked against its schema, and only rows that match it take part in the checks that
    relate records (keys, spans, references); a layer's coverage is checked once all its rows match. So no
    check ever meets a value of the wrong type (a list where an id belongs), and a broken row is reported once,
    for what is wrong with it, not again as a missing line or an unknown id.

    With ``derive_from`` (the raw articles) the rows are annotation rows: the fields the build derives
    (``RecordType.derived``) may be missing, and each row that matches its schema is derived in place
    (``RecordType.derive``) before the other checks.
    """
    checks = RecordChecks(derive_from)
    for config in CONFIGS:
        checks.start(config)
        checks.feed(rows.get(config, []))
        checks.finish()
    return checks.problems()


class RecordChecks:
    """:func:`check_records`, given config by config (in ``CONFIGS`` order) and each config's rows batch by
    batch, so that a release is checked without holding its rows: between batches it keeps each config's keys,
    ids and labelled lines or pairs, and the articles. The problems come in the order of
    :func:`check_records`: per config its schema, key and span problems; then per config its reference and
    coverage problems; then the articles' hashes.
    """

    def __init__(self, derive_from: dict[str, Article] | None = None) -> None:
        self.derive_from = derive_from
        # Each record type names the config holding its articles (the synthetic splits have their own).
        self.article_configs = sorted({record_type.articles for record_type in RECORD_TYPES.values()})
        self.articles: dict[str, dict[str, Article]] = {name: {} for name in self.article_configs}
        self.ids: dict[str, set[str]] = {}
        self.done: set[str] = set()
        self.first: dict[str, list[Problem]] = {}  # per config: schema, key and span problems, in that order
        self.second: dict[str, list[Problem]] = {}  # per config: reference, then coverage problems
        self.hashes: dict[str, list[Problem]] = {name: [] for name in self.article_configs}
        self.waiting: list[tuple[RecordType, list[Row]]] = []  # sound rows whose references name unread configs

    def start(self, config: str) -> None:
        self.config, self.record_type = config, RECORD_TYPES[config]
        self.schema: list[Problem] = []
        self.keys: list[Problem] = []
        self.spans: list[Problem] = []
        self.references: list[Problem] = []
        self.key_seen: dict[tuple[Any, ...], int] = {}  # each key's first row, as _Where packs it
        self.span_seen: dict[tuple[Any, ...], int] = {}
        self.where = _Where()
        self.coverage = _Coverage(self.record_type)
        self.ids[config] = set()
        self.rows = self.sound = 0

    def accept(self, sound: Sound) -> None:
        """The current config, found sound on the fast road (:mod:`newsgold.release.fast_checks`): what the line
        road would have kept of its rows, with no problem."""
        self.rows = self.sound = sound.rows
        self.ids[self.config] = sound.ids
        if self.config in self.articles:
            self.articles[self.config] = sound.articles

    def feed(self, rows: list[Row]) -> None:
        """Check the next rows of the current config."""
        record_type, config = self.record_type, self.config
        sound = []
        for row in rows:
            found = record_problems(record_type, row, annotation=self.derive_from is not None)
            if not found and self.derive_from is not None and record_type.derive is not None:
                found = record_type.derive(row, self.derive_from)
            self.schema += found
            if not found:
                sound.append(row)
        self.rows, self.sound = self.rows + len(rows), self.sound + len(sound)
        # Every row's id counts, a broken row's too: a reference to it is not an unknown id.
        if len(record_type.key) == 1:
            self.ids[config].update(str(row.data.get(record_type.key[0])) for row in rows)
        if config in self.articles:
            # Without their lines (Article.from_text), which would take several times the text's room:
            # the checks split an article's text into lines when they need them (_lines).
            for row in rows:
                article_id, text = row.data.get("article_id"), row.data.get("text")
                if isinstance(article_id, str) and isinstance(text, str):
                    self.articles[config][article_id] = Article(article_id, str(row.data.get("cluster_id")), text)
            for row in sound:
                if row.data["sha256"] != sha256_text(row.data["text"]):
                    self.hashes[config].append(row.problem("sha256", "does not match the sha256 of the text"))
        self.keys += _duplicate_keys(record_type, sound, self.key_seen, self.where)
        if record_type.unique_span:
            self.spans += _duplicate_spans(record_type, sound, self.span_seen, self.where)
        self.spans += _span_problems(record_type, sound, self.articles[record_type.articles])
        if all(reference.target in self.done for reference in record_type.references):
            for row in sound:
                self.references += _reference_problems(record_type, row, self.ids)
        else:
            self.waiting.append((record_type, sound))
        self.coverage.feed(sound, self.articles[record_type.articles])

    def finish(self) -> None:
        """The end of the current config."""
        config = self.config
        self.done.add(config)
        self.first[config] = self.schema + self.keys + self.spans
        self._check_waiting()
        # The keys of a covering layer's sound rows are the lines or pairs it labels (RecordType.key).
        coverage = (self.coverage.problems(self.articles[self.record_type.articles], self.key_seen)
                    if self.sound == self.rows else [])
        self.second[config] = self.references + coverage
        del self.key_seen, self.span_seen, self.coverage, self.where

    def _check_waiting(self) -> None:
        still = []
        for record_type, rows in self.waiting:
            if all(reference.target in self.done for reference in record_type.references):
                target = self.references if record_type.config == self.config else self.second[record_type.config]
                for row in rows:
                    target += _reference_problems(record_type, row, self.ids)
            else:
                still.append((record_type, rows))
        self.waiting = still

    def problems(self) -> list[Problem]:
        """Every problem found, once every config was given."""
        for record_type, rows in self.waiting:  # references to configs never given: unknown ids
            for row in rows:
                self.second[record_type.config] += _reference_problems(record_type, row, self.ids)
        return ([p for config in self.first for p in self.first[config]]
                + [p for config in self.second for p in self.second[config]]
                + [p for name in self.article_configs for p in self.hashes[name]])


def record_problems(record_type: RecordType, row: Row, *, annotation: bool = False) -> list[Problem]:
    """The schema problems of one row; an annotation row may lack the fields the build derives."""
    return schema_problems(row, record_type.schema_id, may_lack=record_type.derived if annotation else ())


def _duplicate_spans(record_type: RecordType, rows: list[Row], first_seen: dict[tuple[Any, ...], int],
                     where: _Where) -> list[Problem]:
    """A problem for each row marking a span an earlier row marked (``first_seen``: the spans seen so far)."""
    problems = []
    for row in rows:
        span = (_shared(row.data.get("article_id")), row.data.get("start"), row.data.get("end"))
        if span in first_seen:
            path, line = where.unpack(first_seen[span])
            problems.append(row.problem("start", f"another {record_type.config} record marks the same span "
                                                 f"(first at {path}:{line})"))
        else:
            first_seen[span] = where.pack(row)
    return problems


def _duplicate_keys(record_type: RecordType, rows: list[Row], first_seen: dict[tuple[Any, ...], int],
                    where: _Where) -> list[Problem]:
    """A problem for each row with the key of an earlier row (``first_seen``: the keys seen so far)."""
    problems = []
    for row in rows:
        key = tuple(_shared(value) for value in record_type.key_of(row.data))
        if key in first_seen:
            path, line = where.unpack(first_seen[key])
            problems.append(row.problem(record_type.key[-1] if len(record_type.key) > 1 else record_type.key[0],
                                        f"duplicate {'/'.join(record_type.key)} {'/'.join(map(str, key))!r} "
                                        f"(first at {path}:{line})"))
        else:
            first_seen[key] = where.pack(row)
    return problems


class _Where:
    """Where a row is, as one integer (a million keys take far less room with an int than a tuple each)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.index: dict[str, int] = {}

    def pack(self, row: Row) -> int:
        if row.path not in self.index:
            self.index[row.path] = len(self.paths)
            self.paths.append(row.path)
        return self.index[row.path] << 40 | row.line

    def unpack(self, packed: int) -> tuple[str, int]:
        return self.paths[packed >> 40], packed & ((1 << 40) - 1)


def _shared(value: Any) -> Any:
    """A string as the one copy of it (ids recur in many rows; kept once, a million keys take far less room)."""
    return sys.intern(value) if isinstance(value, str) else value


def _span_problems(record_type: RecordType, rows: list[Row], articles: dict[str, Article]) -> list[Problem]:
    problems = []
    for row in rows:
        for span_path in record_type.spans:
            for field, value, container in walk(row.data, span_path):
                if not isinstance(value, dict):
                    continue  # null spans are allowed where the schema says so; wrong types are schema problems
                article_id = container.get("article_id", row.data.get("article_id"))
                article = articles.get(article_id) if isinstance(article_id, str) else None
                if article is None:
                    continue  # reported as an unknown article
                message = span_problem(article.text, value.get("start"), value.get("end"), value.get("text"))
                if message:
                    problems.append(row.problem(f"{field}.text" if field else "text", message))
    return problems


def _reference_problems(record_type: RecordType, row: Row, ids: dict[str, set[str]]) -> list[Problem]:
    problems = []
    for reference in record_type.references:
        for field, value, _ in walk(row.data, reference.field):
            if value is None or value in reference.allow or not isinstance(value, str):
                continue
            if value not in ids.get(reference.target, set()):
                problems.append(row.problem(field, f"unknown {reference.target} id {value!r}"))
    if record_type.covers == "pairs":
        a, b = row.data.get("a"), row.data.get("b")
        if isinstance(a, str) and isinstance(b, str) and not a < b:
            problems.append(row.problem("b", f"a pair is written with a < b; got a={a!r}, b={b!r}"))
    return problems


class _Coverage:
    """A layer's coverage, given its sound rows batch by batch: every content line (``covers == "lines"``) or
    every pair of articles of a cluster (``"pairs"``) labelled, no label of a line that is empty or missing, no
    pair across clusters or of one article with itself. A layer with no records at all is not annotated yet;
    once it has any, it must be complete."""

    def __init__(self, record_type: RecordType) -> None:
        self.covers = record_type.covers
        self.path: str | None = None  # the file of the first row
        self.row_problems: list[Problem] = []

    def feed(self, rows: list[Row], articles: dict[str, Article]) -> None:
        if not self.covers or not rows:
            return
        if self.path is None:
            self.path = rows[0].path
        if self.covers == "lines":
            for row in rows:
                labelled_article = articles.get(row.data.get("article_id"))  # type: ignore[arg-type]
                line_no = row.data.get("line_no")
                lines = _lines(labelled_article) if labelled_article else ()
                labelled_line = lines[line_no - 1] if isinstance(line_no, int) and 1 <= line_no <= len(lines) else None
                if labelled_article and (labelled_line is None or labelled_line.is_blank):
                    self.row_problems.append(row.problem("line_no", "labels a line that is empty or does not exist"))
        if self.covers == "pairs":
            for row in rows:
                first = articles.get(row.data.get("a"))  # type: ignore[arg-type]
                second = articles.get(row.data.get("b"))  # type: ignore[arg-type]
                if first and second and first.cluster_id != second.cluster_id:
                    self.row_problems.append(row.problem("b", f"pairs are within a cluster; {first.article_id} "
                                                              f"and {second.article_id} are not"))
                if first and second and first.article_id == second.article_id:
                    self.row_problems.append(row.problem("b", "a pair names one article twice"))

    def problems(self, articles: dict[str, Article], labelled: Container[tuple[Any, ...]]) -> list[Problem]:
        """The problems of the layer, once all its rows were given and all are sound; ``labelled``: the lines
        ``(article_id, line_no)`` or pairs ``(a, b)`` its rows label."""
        if self.path is None:
            return []
        path = self.path
        problems = []
        if self.covers == "lines":
            for article in articles.values():
                for line in _lines(article):
                    if not line.is_blank and (article.article_id, line.line_no) not in labelled:
                        problems.append(Problem(path, 0, "line_no",
                                                f"missing line label: {article.article_id} line {line.line_no} "
                                                f"{line.text[:40]!r}"))
        if self.covers == "pairs":
            by_cluster: dict[str, list[str]] = defaultdict(list)
            for article in articles.values():
                by_cluster[article.cluster_id].append(article.article_id)
            for members in by_cluster.values():
                for a, b in combinations(sorted(members), 2):
                    if (a, b) not in labelled:
                        problems.append(Problem(path, 0, "relation", f"missing pair: {a} / {b}"))
        return problems + self.row_problems


@functools.lru_cache(maxsize=64)
def _lines(article: Article) -> tuple[Line, ...]:
    """The lines of an article, split when needed (the rows of an article come together: a small cache)."""
    return tuple(split_lines(article.text))


def read_release(data_dir: Path) -> tuple[dict[str, list[Row]], list[Problem]]:
    rows: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    for config in CONFIGS:
        rows[config], read_problems = read_jsonl(release_file(data_dir, config))
        problems += read_problems
    return rows, problems


def manifest_problems(data_dir: Path, rows: Mapping[str, Sized]) -> list[Problem]:
    path = data_dir / MANIFEST
    if not path.exists():
        return [Problem(str(path), 0, "-", "release manifest is missing; run `newsgold build`")]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        return [Problem(str(path), 0, "files", f"not a release manifest: {error}")]
    if not isinstance(files, dict):
        return [Problem(str(path), 0, "files", f"not a release manifest: files is a {type(files).__name__}, "
                                               "not an object")]
    problems = []
    for config in CONFIGS:
        file = release_file(data_dir, config)
        relative = file.relative_to(data_dir).as_posix()
        if not file.exists():
            continue  # reported when read
        expected = files.get(relative)
        actual = file_entry(file, len(rows.get(config, [])))
        if not isinstance(expected, dict):
            problems.append(Problem(str(path), 0, f"files.{relative}", "file is not in the manifest" if expected is None
                                    else "an entry is an object {sha256, rows}"))
            continue
        for name in ("sha256", "rows"):
            if expected.get(name) != actual[name]:
                problems.append(Problem(str(path), 0, f"files.{relative}.{name}",
                                        f"manifest says {expected.get(name)!r}, the file has {actual[name]!r}"))
    return problems + _other_file_problems(data_dir, files)


def _other_file_problems(data_dir: Path, files: dict[str, Any]) -> list[Problem]:
    """Every further file the manifest lists must match it, and every file of the release must be listed."""
    from ..corpus import sha256_file

    path = data_dir / MANIFEST
    jsonl = {release_file(data_dir, config).relative_to(data_dir).as_posix() for config in CONFIGS}
    problems = []
    for relative, entry in sorted(files.items()):
        file = data_dir / relative
        if relative in jsonl:
            continue  # checked above, rows included
        if not file.is_file():
            problems.append(Problem(str(path), 0, f"files.{relative}", "listed in the manifest but missing"))
        elif not isinstance(entry, dict) or entry.get("sha256") != (actual := sha256_file(file)):
            said = entry.get("sha256") if isinstance(entry, dict) else entry
            problems.append(Problem(str(path), 0, f"files.{relative}.sha256",
                                    f"manifest says {said!r}, the file has {actual!r}"))
    for file in release_paths(data_dir):
        if file.relative_to(data_dir).as_posix() not in files:
            problems.append(Problem(str(file), 0, "-", "file is not in the manifest; run `newsgold build`"))
    return problems


def raw_problems(raw_dir: Path, rows: list[Row]) -> list[Problem]:
    """Released articles must be the raw files byte for byte."""
    try:
        manifest = read_raw_manifest(raw_dir)
    except InputError as error:
        return error.problems
    by_id = {Path(entry_path).stem: entry for entry_path, entry in manifest.items()}
    problems = []
    # A row whose id is not a string breaks its schema; that problem is reported by check_records.
    rows = [row for row in rows if isinstance(row.data.get("article_id"), str)]
    for row in rows:
        entry = by_id.get(row.data["article_id"])
        if entry is None:
            problems.append(row.problem("article_id", "article is not in the raw manifest"))
        elif entry.get("sha256") != row.data.get("sha256"):
            problems.append(row.problem("sha256", "does not match the raw manifest"))
    released = Counter(row.data["article_id"] for row in rows)
    for article_id in sorted(set(by_id) - set(released)):
        problems.append(
            Problem(str(raw_dir / "MANIFEST.json"), 0, "files", f"raw article {article_id!r} is not released"))
    return problems


def derived_problems(data_dir: Path, rows: Mapping[str, Sized], parquet: list[Problem] | None = None) -> list[Problem]:
    """Problems of the files the extra writers derive from sound records and a sound manifest.

    The Parquet files and the card derive from the records; the Croissant metadata from the Parquet and JSONL
    hashes, so it is checked only once the Parquet files are sound (a stale Parquet file is one problem).
    ``parquet``: the problems of the Parquet files, found already (``rows`` then need only their lengths).
    """
    from .croissant import croissant_problems  # pyarrow and yaml: only once the records are sound
    from .hub import card_problems, parquet_problems

    version = str(json.loads((data_dir / MANIFEST).read_text(encoding="utf-8")).get("version", ""))
    problems = parquet_problems(data_dir, rows) if parquet is None else parquet  # type: ignore[arg-type]
    croissant = [] if problems else croissant_problems(data_dir, version)
    return problems + card_problems(data_dir, rows, version) + croissant


def validate_release(data_dir: Path, *, fast: bool = True) -> list[Problem]:
    """Every problem of the release in ``data_dir`` (and of its raw articles, when ``data_dir/raw`` exists).

    The release is read config by config and each file in batches of rows, so that memory holds one batch and
    what relates the records (keys, ids, articles), never every row. Each config is first checked on the fast
    road (:mod:`newsgold.release.fast_checks`), which only decides whether it is sound; one that is not (or
    that the fast road cannot judge) is checked on the line road (:class:`RecordChecks`, each batch compared
    with the Parquet file as it goes), which reports every problem. ``fast=False`` takes the line road only:
    the problems are the same either way.
    """
    from .fast_checks import fast_checks
    from .hub import ParquetComparison  # the Parquet files are derived from what is checked here

    problems: list[Problem] = []
    checks = RecordChecks()
    counts: dict[str, Sized] = {}
    articles: list[Row] = []
    parquet: list[Problem] = []
    for config in CONFIGS:
        checks.start(config)
        path = release_file(data_dir, config)
        size = path.stat().st_size if path.is_file() else 0
        large = size >= LARGE_BYTES
        # The fast road first; the line road checks (again) any config it does not find sound. The articles'
        # rows are compared with the raw manifest below, so that config always takes the line road.
        sound = None
        if fast and config != "articles":
            with progress_bar(desc=f"validating {config}", total=size, large=large, unit="B") as bar:
                sound = fast_checks(path, data_dir, config, checks.ids, checks.done, checks.articles, bar.update)
        if sound is not None:
            checks.accept(sound)
            checks.finish()
            counts[config] = range(sound.rows)
            continue
        comparison = ParquetComparison(data_dir, config)
        with progress_bar(desc=f"checking {config} line by line", total=size, large=large, unit="B") as bar:
            for rows in _row_batches(path, problems, bar.update):
                checks.feed(rows)
                comparison.feed(rows)
                if config == "articles":
                    articles += rows
        checks.finish()
        counts[config] = range(checks.rows)
        parquet += comparison.problems()
    problems += checks.problems()
    problems += manifest_problems(data_dir, counts)
    if (data_dir / "raw").is_dir():
        problems += raw_problems(data_dir / "raw", articles)
    if not problems:
        # The files derived from the records (Parquet, dataset card, Croissant) are compared with them only
        # once the records and the manifest are sound: before that, each record problem would echo in each.
        problems += derived_problems(data_dir, counts, parquet)
    return problems


BATCH_BYTES = 8 << 20  # rows are read in batches of about this many bytes of JSON Lines


def _row_batches(path: Path, problems: list[Problem],
                 advance: Callable[[int], object] = lambda size: None) -> Iterator[list[Row]]:
    """:func:`~newsgold.jsonl.read_jsonl` in batches of rows; its problems are added to ``problems``. A file that
    is not UTF-8 throughout gives no rows at all, only a problem for each line that is not, as when read whole."""
    if not path.exists():
        problems.append(Problem(str(path), 0, "-", "no such file"))
        return
    try:
        with path.open("rb") as file:
            while chunk := file.readlines(BATCH_BYTES):
                b"".join(chunk).decode("utf-8")
    except UnicodeDecodeError:
        rows, found = read_jsonl(path)
        problems += found
        return
    except OSError as error:
        problems.append(Problem(str(path), 0, "-", f"cannot read: {error.strerror or error}"))
        return
    first_line = 1
    with path.open("rb") as file:
        while chunk := file.readlines(BATCH_BYTES):
            rows, found = parse_jsonl(b"".join(chunk).decode("utf-8"), str(path), first_line)
            problems += found
            first_line += len(chunk)
            yield rows
            advance(sum(map(len, chunk)))


# ---------------------------------------------------------------------------------------------------------
# Validated once
#
# Trust rule: a folder found valid is trusted again, without a check, while (1) its manifest has the same
# sha256, (2) the same newsgold version checks it, and (3) it holds the same files (every file under it, raw
# articles included, hidden build folders left out), each with the same size, modification time, inode and
# status-change time (ctime). ctime is set by the kernel on every change to a file and cannot be set back by
# a user, so no edit, copy, replacement or restored modification time passes (3). A file changed in the same
# clock tick as it was validated could keep all four, so a folder with a file younger than RACY_SECONDS is
# never remembered (git's "racy" rule). Anything else validates the folder again in full; `newsgold validate`
# always does.

CACHE_ENV = "NEWSGOLD_CACHE_DIR"
RACY_SECONDS = 2.0


def validation_cache() -> Path:
    """Where folders found valid are remembered: ``$NEWSGOLD_CACHE_DIR``, else the user cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]) / "validated"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgold" / "validated"


def _file_states(data_dir: Path) -> dict[str, list[int]]:
    states = {}
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            status = path.stat()
            states[relative.as_posix()] = [status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns]
    return states


def _cache_entry(data_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The cache file of ``data_dir`` and what it must hold for the folder to be trusted; None if unreadable."""
    from ..version import __version__

    try:
        manifest_sha256 = hashlib.sha256((data_dir / MANIFEST).read_bytes()).hexdigest()
        folder = str(data_dir.resolve())
        states = _file_states(data_dir)
    except OSError:
        return None
    name = f"{manifest_sha256}-{hashlib.sha256(folder.encode()).hexdigest()[:16]}.json"
    return validation_cache() / name, {"folder": folder, "manifest_sha256": manifest_sha256,
                                       "newsgold": __version__, "files": states}


def validate_and_remember(data_dir: Path) -> list[Problem]:
    """:func:`validate_release` in full; a valid folder is remembered if no file changed while it was checked
    and none is too young to be told apart from a later change (the trust rule above)."""
    from ..jsonl import write_text_atomic

    before = _cache_entry(data_dir)
    problems = validate_release(data_dir)
    if problems or before is None or _cache_entry(data_dir) != before:
        return problems
    path, entry = before
    youngest = max((max(state[1], state[3]) for state in entry["files"].values()), default=0)
    if youngest <= time.time_ns() - int(RACY_SECONDS * 1e9):
        with contextlib.suppress(OSError):  # no cache where none can be written: checked in full next time
            write_text_atomic(path, json.dumps(entry, sort_keys=True) + "\n")
    return problems


def known_valid(data_dir: Path) -> bool:
    """Whether ``data_dir`` was found valid and is unchanged since, by the trust rule above."""
    found = _cache_entry(data_dir)
    if found is None:
        return False
    path, entry = found
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")) == entry)
    except (OSError, ValueError):
        return False


def validate_once(data_dir: Path) -> list[Problem]:
    """:func:`validate_release`, skipped for a folder found valid before and unchanged since (trust rule above)."""
    return [] if known_valid(data_dir) else validate_and_remember(data_dir)
