"""The release as Hugging Face ``datasets`` loads it: typed Parquet files and the dataset card.

``datasets`` reads JSON Lines by guessing types: a date-like string comes back as a timestamp string, and a
struct that is null in the first rows breaks the cast. A Parquet file written with an explicit Arrow schema
loads exactly as written, so the build writes ``data/<config>/test.parquet`` beside every JSON Lines file,
typed by :mod:`newsgold.columns` (that is, by the JSON Schemas), and the card ``data/README.md`` points every
config at Parquet (``datasets`` picks one reader for all configs of a card, from the first config's files).

Both are generated from the released records and checked against them by ``newsgold validate``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..columns import Column, columns, from_typed
from ..errors import Problem
from ..jsonl import Row
from ..records import CONFIGS, RECORD_TYPES
from ..schemas import record_schema
from ..version import __version__
from .layout import MANIFEST, SPLIT, release_file

if TYPE_CHECKING:
    from datasets import Features

CARD = "README.md"
PRETTY_NAME = "newsgold"
# The licence terms, said once: the card's front matter and its Licence section, and Croissant's licence.
LICENCE = ("Annotations (every label, span and registry record): CC BY 4.0, in LICENSE-annotations. Code: MIT, in "
           "LICENSE. Article texts: scraped news articles whose copyright stays with their publishers, included so "
           "that the labels can be evaluated, for research evaluation only; covered by neither licence.")
LICENCE_FILES = ("LICENSE-annotations and LICENSE are at the root of the newsgold source repository and in the "
                 "newsgold package's metadata; the CC BY 4.0 legal code is at "
                 "https://creativecommons.org/licenses/by/4.0/legalcode.")

_ARROW_SCALARS = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
_HF_DTYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool"}
# Every option that decides the bytes is spelled out, so a change of pyarrow's defaults cannot silently
# change the files; with the same pyarrow, the same records give the same bytes (Parquet holds no timestamp).
_PARQUET_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "use_compliant_nested_type": True,
    "store_schema": True,
    "write_page_index": False,
    "write_page_checksum": False,
}
# Compliant nested Parquet names a list's item "element"; naming it so here makes a file read back
# compare equal to the schema it was written with.
_LIST_ITEM = "element"


def parquet_file(data_dir: Path, config: str) -> Path:
    return data_dir / config / f"{SPLIT}.parquet"


# --- Arrow and datasets types -------------------------------------------------------------------------------

def arrow_type(column: Column) -> pa.DataType:
    if column.kind == "struct":
        return pa.struct([pa.field(c.name, arrow_type(c), nullable=c.optional) for c in column.fields])
    if column.kind == "list":
        assert column.item is not None
        return pa.list_(pa.field(_LIST_ITEM, arrow_type(column.item), nullable=column.item.optional))
    return _ARROW_SCALARS[column.kind]


def arrow_schema(config: str) -> pa.Schema:
    """The Parquet schema of ``config``: enum fields are strings, nullability as the JSON Schema says."""
    return pa.schema([pa.field(c.name, arrow_type(c), nullable=c.optional) for c in columns(config)])


def features(config: str) -> Features:
    """The ``datasets`` features of ``config``; enum fields are class labels, in schema order."""
    from datasets import ClassLabel, Features, List, Value  # importing datasets takes a second; only here

    def feature(column: Column) -> Any:
        if column.labels:
            return ClassLabel(names=list(column.labels))
        if column.kind == "struct":
            return {c.name: feature(c) for c in column.fields}
        if column.kind == "list":
            assert column.item is not None
            return List(feature(column.item))
        return Value(_HF_DTYPES[column.kind])

    return Features({c.name: feature(c) for c in columns(config)})


def _feature_yaml(column: Column) -> dict[str, Any]:
    """One column in the card's ``dataset_info.features`` notation (the Hub's YAML form of ``Features``)."""
    if column.labels:
        return {"dtype": {"class_label": {"names": {str(i): name for i, name in enumerate(column.labels)}}}}
    if column.kind == "struct":
        return {"struct": [{"name": c.name, **_feature_yaml(c)} for c in column.fields]}
    if column.kind == "list":
        assert column.item is not None
        inner = _feature_yaml(column.item)
        if set(inner) == {"dtype"}:
            return {"list": inner["dtype"]}
        if set(inner) == {"struct"}:
            return {"list": inner["struct"]}
        return {"list": inner}
    return {"dtype": _HF_DTYPES[column.kind]}


def features_yaml(config: str) -> list[dict[str, Any]]:
    return [{"name": c.name, **_feature_yaml(c)} for c in columns(config)]


# --- Parquet --------------------------------------------------------------------------------------------------

def write_parquet_file(path: Path, config: str, records: list[dict[str, Any]]) -> None:
    schema = arrow_schema(config)
    table = pa.Table.from_pylist(records, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, schema, **_PARQUET_OPTIONS) as writer:
        # One row group; an empty config gets none, since an empty row group is a batch of size 0 to readers.
        if table.num_rows:
            writer.write_table(table, row_group_size=table.num_rows)


def write_parquet(target: Path, records: dict[str, list[dict[str, Any]]]) -> None:
    for config in CONFIGS:
        write_parquet_file(parquet_file(target, config), config, records[config])


def read_parquet_records(path: Path, config: str) -> list[dict[str, Any]]:
    """The rows of a released Parquet file as JSON records (absent optional fields dropped again)."""
    # ParquetFile, not read_table: read_table imports pyarrow.dataset, which takes seconds and is not needed.
    return [from_typed(row, config) for row in pq.ParquetFile(path).read().to_pylist()]


def parquet_problems(data_dir: Path, rows: dict[str, list[Row]]) -> list[Problem]:
    """Each Parquet file must have the derived schema and hold exactly the records of its JSON Lines file."""
    problems = []
    for config in CONFIGS:
        comparison = ParquetComparison(data_dir, config)
        comparison.feed(rows.get(config, []))
        problems += comparison.problems()
    return problems


class ParquetComparison:
    """One Parquet file compared with the rows of its JSON Lines file, given batch by batch (in file order), so
    that neither is ever held whole: :func:`parquet_problems` for one config."""

    BATCH = 1_024  # rows; an article's text is some KiB

    def __init__(self, data_dir: Path, config: str) -> None:
        self.path, self.config = parquet_file(data_dir, config), config
        self.problem: Problem | None = None  # the one problem of the file, once found
        self.rows = 0  # rows of the JSON Lines file given so far
        self.total = 0  # rows of the Parquet file
        self.difference: Problem | None = None  # the first row that differs
        if not self.path.exists():
            self.problem = Problem(str(self.path), 0, "-", "missing; run `newsgold build`")
            return
        try:
            file = pq.ParquetFile(self.path)
            schema, self.total = file.schema_arrow, file.metadata.num_rows
        except (OSError, pa.ArrowException) as error:
            self.problem = self._unreadable(error)
            return
        if not schema.equals(arrow_schema(config), check_metadata=False):
            self.problem = Problem(str(self.path), 0, "-", "schema differs from the one derived from "
                                                           f"{config}.schema.json; run `newsgold build`")
            return
        self.schema = schema
        self.batches = file.iter_batches(batch_size=self.BATCH)
        self.pending = schema.empty_table()  # read from the Parquet file, not yet compared

    def _unreadable(self, error: Exception) -> Problem:
        return Problem(str(self.path), 0, "-", f"not a readable Parquet file: {error}")

    def feed(self, rows: list[Row]) -> None:
        """Compare the next rows of the JSON Lines file with the next rows of the Parquet file."""
        start, self.rows = self.rows, self.rows + len(rows)
        if self.problem is not None or self.difference is not None or start >= self.total:
            return
        rows = rows[: self.total - start]
        try:
            while self.pending.num_rows < len(rows):
                self.pending = pa.concat_tables([self.pending, pa.Table.from_batches([next(self.batches)])])
            table, self.pending = self.pending.slice(0, len(rows)), self.pending.slice(len(rows))
            # The rows as a typed table first (fast); equal tables hold equal records. Only where they are not
            # is each Parquet row made a record again, to name the first that differs.
            with contextlib.suppress(pa.ArrowException, ValueError, TypeError, OverflowError):  # not typed: compare
                if table.equals(pa.Table.from_pylist([row.data for row in rows], schema=self.schema)):
                    return
            for number, (row, record) in enumerate(zip(rows, table.to_pylist(), strict=True), start=start + 1):
                if from_typed(record, self.config) != row.data:
                    self.difference = Problem(str(self.path), number, "-", f"row differs from {row.path}:{row.line}")
                    break  # one row is enough to say the file is stale
        except (OSError, pa.ArrowException) as error:
            self.problem = self._unreadable(error)

    def problems(self) -> list[Problem]:
        """The problem of the file, once every row of the JSON Lines file was given (none: it matches)."""
        if self.problem is not None:
            return [self.problem]
        if self.total != self.rows:
            return [Problem(str(self.path), 0, "-", f"{self.total} rows, the JSON Lines file has {self.rows}")]
        return [self.difference] if self.difference is not None else []


# --- The dataset card -----------------------------------------------------------------------------------------

def size_category(rows: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if rows < limit:
            return name
    return "n>1M"


def loadable_configs(counts: dict[str, int]) -> list[str]:
    """Configs the card lists: ``datasets`` refuses a split with no rows, and an empty layer is not annotated."""
    return [config for config in CONFIGS if counts.get(config, 0) > 0]


def card_metadata(counts: dict[str, int], sizes: dict[str, int]) -> dict[str, Any]:
    """The card's YAML front matter. ``num_examples`` is checked by ``datasets`` on load, so it is always
    generated from the records. ``num_bytes`` (required by the card format, not checked) is the size of the
    JSON Lines file, so that the card depends on the records and never on how a Parquet writer packs them."""
    listed = loadable_configs(counts)
    return {
        "pretty_name": PRETTY_NAME,
        "language": ["en"],
        "license": "other",
        "license_name": "cc-by-4.0-annotations-third-party-texts",
        "license_details": LICENCE,
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "size_categories": [size_category(max(counts.values(), default=0))],
        "source_datasets": ["original"],
        "task_categories": ["text-classification", "token-classification", "sentence-similarity"],
        "tags": ["news", "boilerplate-removal", "near-duplicate-detection", "quotation-attribution",
                 "event-coreference", "evaluation"],
        "configs": [
            {"config_name": config, "data_files": [{"split": SPLIT, "path": f"{config}/{SPLIT}.parquet"}]}
            for config in listed
        ],
        "dataset_info": [
            {"config_name": config, "features": features_yaml(config),
             "splits": [{"name": SPLIT, "num_bytes": sizes.get(config, 0), "num_examples": counts[config]}]}
            for config in listed
        ],
    }


def type_name(column: Column) -> str:
    """A column's type in words for the card, e.g. ``list of struct {start: int64, ...}``."""
    if column.labels:
        name = "class label (" + ", ".join(column.labels) + ")"
    elif column.kind == "struct":
        name = "struct {" + ", ".join(f"{c.name}: {type_name(c)}" for c in column.fields) + "}"
    elif column.kind == "list":
        assert column.item is not None
        name = f"list of {type_name(column.item)}"
    else:
        name = _HF_DTYPES[column.kind]
    if column.nullable:
        name += " or null"
    elif not column.required:
        name += ", optional (null in Parquet when absent)"
    return name


def reference_notes(config: str) -> dict[str, str]:
    """What the registry says of fields of ``config``, by field path (``speaker``, ``members/article_id``):
    the key, and the fields that name a record of another config."""
    record_type = RECORD_TYPES[config]
    notes = {name: "Key of the record." if len(record_type.key) == 1 else "Part of the record's key."
             for name in record_type.key}
    for reference in record_type.references:
        target = RECORD_TYPES[reference.target]
        allowed = "".join(f", or {value!r}" for value in sorted(reference.allow))
        path = reference.field.replace("[]", "").replace(".", "/")
        notes[path] = f"Refers to {reference.target} by {target.key[0]}{allowed}."
    return notes


def _description(config: str, column: Column) -> str:
    notes = reference_notes(config)
    parts = [notes.get(column.name, "")]
    parts += [f"{path.split('/', 1)[1]}: {note[0].lower()}{note[1:]}" for path, note in notes.items()
              if path.startswith(f"{column.name}/")]
    parts.append(column.description)
    return " ".join(part for part in parts if part)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def card_body(version: str, counts: dict[str, int]) -> str:
    listed = loadable_configs(counts)
    example = "quotes" if "quotes" in listed else (listed[0] if listed else "articles")
    lines = [
        f"# {PRETTY_NAME} {version}",
        "",
        "Gold labels for evaluating systems that process scraped news: boilerplate removal, duplicate detection "
        "(document pairs and copied passages), quote attribution and cross-document event coreference. There is "
        "one split, `test`: the dataset is for evaluation, not for training.",
        "",
        "This folder is one release, built from the raw articles and the gold annotations of the newsgold source "
        "repository, whose DATASHEET.md says how it was made and what it can and cannot tell you.",
        "",
        "## Load",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'ds = load_dataset("path/to/newsgold/data", "{example}", split="test")',
        "```",
        "",
        "With the newsgold package, the shipped release (cached under its manifest hash, so an edited file is "
        "never served from a stale cache), or a release by its version number (found through releases.json in a "
        "clone of the repository, tags or none):",
        "",
        "```python",
        "import newsgold",
        "",
        f'ds = newsgold.load("{example}")',
        f'old = newsgold.load("{example}", version="{version}")',
        "```",
        "",
        "Fields with a closed set of values are class labels: `ds.features[name].int2str(ds[0][name])` gives "
        "the label's name. Spans are `[start, end)` in Unicode code points of the article text (Python `str` "
        "indices), and every span carries its `text`, equal to `article[start:end]`.",
        "",
        "## Configs",
        "",
        "| config | rows | task | one record is |",
        "|---|---:|---|---|",
    ]
    for config in CONFIGS:
        schema = record_schema(config)
        description = schema.get("description", schema.get("title", ""))
        lines.append(f"| `{config}` | {counts.get(config, 0)} | {RECORD_TYPES[config].task} | {_cell(description)} |")
    missing = [config for config in CONFIGS if config not in listed]
    if missing:
        lines += ["", "Not annotated in this release, so not listed as loadable configs (`datasets` cannot load "
                  "a split without rows): " + ", ".join(f"`{c}`" for c in missing) + "."]
    lines += ["", "## Fields"]
    for config in CONFIGS:
        lines += ["", f"### `{config}`", "", "| field | type | description |", "|---|---|---|"]
        for column in columns(config):
            lines.append(f"| `{column.name}` | {_cell(type_name(column))} | {_cell(_description(config, column))} |")
    lines += [
        "",
        "## Files",
        "",
        "- `<config>/test.parquet`: what this card loads; typed by a schema derived from the JSON Schemas, "
        "reproducible byte for byte.",
        "- `<config>/test.jsonl`: the same records as JSON Lines, the form the scorers read. A field an "
        "annotation leaves out is absent there and null in Parquet.",
        "- `croissant.json`: MLCommons Croissant 1.0 metadata for the Parquet files.",
        f"- `{MANIFEST}`: the version and the sha256 of every file. Every score report names the version and the "
        "manifest's own sha256.",
        "",
        "## Versions",
        "",
        f"This is version {version}. Major versions change the annotation scheme, minor versions add labels, "
        "patch versions correct labels. Scores are comparable only on the same records: "
        "`newsgold diff OLD NEW` lists the records added, removed and changed between two releases.",
        "",
        "## Licence",
        "",
        LICENCE,
        "",
        LICENCE_FILES,
        "",
    ]
    return "\n".join(lines)


def card_text(version: str, counts: dict[str, int], sizes: dict[str, int]) -> str:
    import yaml  # only the card needs it, not reading a release

    front = yaml.safe_dump(card_metadata(counts, sizes), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n{card_body(version, counts)}"


def _sizes(data_dir: Path) -> dict[str, int]:
    return {c: release_file(data_dir, c).stat().st_size for c in CONFIGS if release_file(data_dir, c).exists()}


def write_card(target: Path, records: Mapping[str, Sized]) -> None:
    """The card; only the number of records of each config counts (a ``range`` may stand for them)."""
    counts = {config: len(records[config]) for config in CONFIGS}
    (target / CARD).write_text(card_text(__version__, counts, _sizes(target)), encoding="utf-8", newline="\n")


def split_card(text: str) -> tuple[dict[str, Any], str]:
    """A card's YAML front matter (parsed) and its body."""
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        raise ValueError("no YAML front matter between --- lines")
    import yaml

    front, _, body = text[4:].partition("\n---\n")
    metadata = yaml.safe_load(front)
    if not isinstance(metadata, dict):
        raise ValueError("the front matter is not a mapping")
    return metadata, body.lstrip("\n")


def card_problems(data_dir: Path, rows: Mapping[str, Sized], version: str) -> list[Problem]:
    """The card must be what the records give: configs, features and row counts above all."""
    path = data_dir / CARD
    if not path.exists():
        return [Problem(str(path), 0, "-", "dataset card is missing; run `newsgold build`")]
    import yaml

    counts = {config: len(rows.get(config, [])) for config in CONFIGS}
    try:
        metadata, body = split_card(path.read_text(encoding="utf-8"))
    except (ValueError, yaml.YAMLError) as error:
        return [Problem(str(path), 0, "-", f"not a dataset card: {error}")]
    # Compared as data, not text, so that another YAML emitter's line breaks are not a problem.
    expected = card_metadata(counts, _sizes(data_dir))
    problems = [Problem(str(path), 0, key, "differs from what the records give; run `newsgold build`")
                for key in sorted(set(expected) | set(metadata), key=str) if metadata.get(key) != expected.get(key)]
    if body != card_body(version, counts):
        problems.append(Problem(str(path), 0, "-", "text differs from what the records give; run `newsgold build`"))
    return problems
