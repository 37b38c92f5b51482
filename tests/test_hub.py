"""Loading with Hugging Face ``datasets``: typed Parquet, the dataset card, and ``newsgold.load``.

The mini fixture has dates, nested spans and an astral character; :func:`with_nulls` adds what it lacks (a
null struct in the first row, null dates and places, an empty list, an absent optional field), because those
are what ``datasets`` gets wrong with JSON Lines.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import datasets
import pyarrow.parquet as pq
import pytest
import yaml
from datasets import ClassLabel, Features, List, Value

import newsgold
from conftest import run_cli
from newsgold.columns import from_typed
from newsgold.errors import InputError
from newsgold.records import CONFIGS
from newsgold.release.build import build
from newsgold.release.hub import (
    CARD,
    features,
    features_yaml,
    loadable_configs,
    parquet_file,
    split_card,
    write_parquet_file,
)
from newsgold.release.layout import MANIFEST, file_entry, release_file
from newsgold.schemas import _resolve, record_schema

GIT = ["git", "-c", "user.name=newsgold tests", "-c", "user.email=tests@newsgold.invalid", "-c", "commit.gpgsign=false"]


# --- helpers shared by the release tests --------------------------------------------------------------------

def gold_records(root: Path, config: str) -> list[dict[str, Any]]:
    path = root / "annotation" / "gold" / f"{config}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_gold(root: Path, config: str, records: list[dict[str, Any]]) -> None:
    path = root / "annotation" / "gold" / f"{config}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def with_nulls(root: Path) -> Path:
    """The tree at ``root`` with nulls where the schemas allow them, built."""
    quotes = gold_records(root, "quotes")
    quotes[0].update(cue=None, speaker_mention=None)  # the first row: a null struct breaks JSON type inference
    write_gold(root, "quotes", quotes)
    events = gold_records(root, "events")
    events.append({"event_id": "ev-rain", "type": "other", "date": None, "place": None, "participants": [],
                   "description": "It rains in Lyon."})
    write_gold(root, "events", events)
    pairs = gold_records(root, "doc_pairs")
    del pairs[0]["note"]  # optional: absent in JSON Lines, null in Parquet
    write_gold(root, "doc_pairs", pairs)
    build(root)
    return root


def jsonl_records(data_dir: Path, config: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in release_file(data_dir, config).read_text(encoding="utf-8").splitlines()]


def manifest(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / MANIFEST).read_text(encoding="utf-8"))


def decode_labels(value: Any, feature: Any) -> Any:
    """A loaded row with class-label integers turned back into their names."""
    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, dict):
        return {name: decode_labels(value[name], sub) for name, sub in feature.items()}
    if isinstance(feature, List):
        return [decode_labels(item, feature.feature) for item in value]
    return value


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)


# --- the schema-derived types -------------------------------------------------------------------------------

def expected_feature(schema: dict[str, Any]) -> Any:
    """The feature a JSON Schema node should become, read independently of newsgold.columns."""
    schema = _resolve(schema)
    if "oneOf" in schema:
        (kept,) = [s for s in schema["oneOf"] if _resolve(s).get("type") != "null"]
        return expected_feature(kept)
    if "enum" in schema:
        return ClassLabel(names=schema["enum"])
    kind = schema["type"]
    if kind == "object":
        return {name: expected_feature(sub) for name, sub in schema["properties"].items()}
    if kind == "array":
        return List(expected_feature(schema["items"]))
    return Value({"string": "string", "integer": "int64", "boolean": "bool", "number": "float64"}[kind])


@pytest.mark.parametrize("config", CONFIGS)
def test_features_follow_the_schema(config: str) -> None:
    schema = record_schema(config)
    assert features(config) == Features({name: expected_feature(sub) for name, sub in schema["properties"].items()})
    assert list(features(config)) == list(schema["properties"])


@pytest.mark.parametrize("config", CONFIGS)
def test_card_features_are_the_features_in_the_hub_notation(config: str) -> None:
    assert Features._from_yaml_list(features_yaml(config)) == features(config)
    assert features_yaml(config) == features(config)._to_yaml_list()


# --- loading with datasets ----------------------------------------------------------------------------------

@pytest.mark.usefixtures("offline")
def test_every_config_loads_field_for_field(mini: Path, tmp_path: Path) -> None:
    data = with_nulls(mini) / "data"
    files = manifest(data)["files"]
    for config in CONFIGS:
        rows = files[f"{config}/test.jsonl"]["rows"]
        if rows:
            ds = datasets.load_dataset(str(data), config, split="test", cache_dir=str(tmp_path / "cache"))
        else:  # not annotated: left out of the card, since datasets cannot load a split without rows
            ds = newsgold.load(config, data_dir=data, cache_dir=tmp_path / "cache")
        assert ds.features == features(config), config
        assert len(ds) == files[f"{config}/test.parquet"]["rows"] == rows, config
        loaded = [from_typed(decode_labels(row, ds.features), config) for row in ds]
        assert loaded == jsonl_records(data, config), config
    quotes = datasets.load_dataset(str(data), "quotes", split="test", cache_dir=str(tmp_path / "cache"))
    assert quotes[0]["cue"] is None and quotes[1]["cue"] == {"start": 58, "end": 62, "text": "said"}
    assert quotes[1]["text"] == "the talks were useful 😀"  # an astral character: offsets are code points
    events = datasets.load_dataset(str(data), "events", split="test", cache_dir=str(tmp_path / "cache"))
    assert [e["date"] for e in events] == ["2024-01-01", None]  # a date stays the string it was
    pairs = datasets.load_dataset(str(data), "doc_pairs", split="test", cache_dir=str(tmp_path / "cache"))
    assert pairs[0]["note"] is None and "note" not in jsonl_records(data, "doc_pairs")[0]


def test_card_points_every_config_at_parquet_with_generated_counts(mini: Path) -> None:
    metadata, body = split_card((mini / "data" / CARD).read_text(encoding="utf-8"))
    files = manifest(mini / "data")["files"]
    counts = {config: files[f"{config}/test.jsonl"]["rows"] for config in CONFIGS}
    assert [c["config_name"] for c in metadata["configs"]] == loadable_configs(counts)
    assert {"quotes", "events", "passages"} <= set(loadable_configs(counts))
    for entry in metadata["configs"]:
        # datasets picks one reader for every config from the first config's files: all must be Parquet.
        assert entry["data_files"] == [{"split": "test", "path": f"{entry['config_name']}/test.parquet"}]
    for info in metadata["dataset_info"]:
        (split,) = info["splits"]
        assert split["num_examples"] == files[f"{info['config_name']}/test.jsonl"]["rows"]
    for key in ("license", "language", "task_categories", "pretty_name", "size_categories"):
        assert metadata[key]
    assert "trust_remote_code" not in (mini / "data" / CARD).read_text(encoding="utf-8")
    assert not list((mini / "data").glob("*.py"))
    assert body.startswith("# newsgold ")


def test_parquet_is_byte_deterministic(mini: Path, tmp_path: Path) -> None:
    build(mini)
    first = tree_bytes(mini / "data")
    other = tmp_path / "other"
    other.mkdir()
    for part in ("data/raw", "annotation"):
        shutil.copytree(mini / part, other / part)
    # another process, from scratch: the same records must give the same bytes
    subprocess.run([sys.executable, "-m", "newsgold", "build", "--root", str(other)], check=True, capture_output=True)
    assert tree_bytes(other / "data") == first
    records = jsonl_records(mini / "data", "quotes")
    write_parquet_file(tmp_path / "again.parquet", "quotes", records)
    assert (tmp_path / "again.parquet").read_bytes() == parquet_file(mini / "data", "quotes").read_bytes()


def test_parquet_schema_is_explicit(mini: Path) -> None:
    schema = pq.read_schema(parquet_file(mini / "data", "quotes"))
    assert str(schema.field("cue").type) == "struct<start: int64 not null, end: int64 not null, text: string not null>"
    assert schema.field("cue").nullable and not schema.field("quote_id").nullable
    assert str(schema.field("type").type) == "string"  # labels stay readable outside datasets


@pytest.mark.usefixtures("offline")
def test_empty_config_is_left_out_of_the_card_and_loads_empty(mini: Path, tmp_path: Path) -> None:
    write_gold(mini, "quotes", [])
    shutil.rmtree(mini / "data" / "quotes")  # a build never drops a config's gold unless its folder is gone
    build(mini)
    metadata, body = split_card((mini / "data" / CARD).read_text(encoding="utf-8"))
    assert "quotes" not in [c["config_name"] for c in metadata["configs"]]
    assert "Not annotated in this release" in body and "`quotes`" in body
    ds = newsgold.load("quotes", data_dir=mini / "data", cache_dir=tmp_path)
    assert len(ds) == 0 and ds.features == features("quotes")
    assert pq.ParquetFile(parquet_file(mini / "data", "quotes")).metadata.num_row_groups == 0


# --- newsgold.load ------------------------------------------------------------------------------------------

def set_speaker(root: Path, quote_id: str, speaker: str) -> None:
    quotes = gold_records(root, "quotes")
    for quote in quotes:
        if quote["quote_id"] == quote_id:
            quote["speaker"] = speaker
    write_gold(root, "quotes", quotes)


@pytest.mark.usefixtures("offline")
def test_load_never_returns_stale_rows(mini: Path, tmp_path: Path) -> None:
    data = mini / "data"
    cache = tmp_path / "cache"
    assert newsgold.load("quotes", data_dir=data, cache_dir=cache)[0]["speaker"] == "alice"
    # The trap: datasets keys its cache on the card and the file patterns, so a changed file under an
    # unchanged card loads the old rows.
    plain = tmp_path / "plain"
    assert datasets.load_dataset(str(data), "quotes", split="test", cache_dir=str(plain))[0]["speaker"] == "alice"
    records = jsonl_records(data, "quotes")
    records[0]["speaker"] = "bob"
    write_parquet_file(parquet_file(data, "quotes"), "quotes", records)
    assert datasets.load_dataset(str(data), "quotes", split="test", cache_dir=str(plain))[0]["speaker"] == "alice"
    # newsgold.load sees that the file no longer matches the manifest ...
    with pytest.raises(InputError) as raised:
        newsgold.load("quotes", data_dir=data, cache_dir=cache)
    assert "files.quotes/test.parquet.sha256" in str(raised.value)
    # ... and after a build, the new manifest hash gives a new cache: the new rows.
    set_speaker(mini, "q-a1-01", "bob")
    build(mini)
    assert newsgold.load("quotes", data_dir=data, cache_dir=cache)[0]["speaker"] == "bob"
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 2


@pytest.mark.usefixtures("offline")
def test_load_version_reads_the_tagged_release(mini: Path, tmp_path: Path) -> None:
    repo = mini
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "release")
    git(repo, "tag", "v0.1.0")
    set_speaker(repo, "q-a1-01", "bob")
    build(repo)
    git(repo, "commit", "-q", "-am", "correction")
    cache = tmp_path / "cache"
    assert newsgold.load("quotes", version="0.1.0", root=repo, cache_dir=cache)[0]["speaker"] == "alice"
    assert newsgold.load("quotes", data_dir=repo / "data", cache_dir=cache)[0]["speaker"] == "bob"
    # datasets itself ignores revision= for a local folder and reads the working tree
    ignored = datasets.load_dataset(str(repo / "data"), "quotes", split="test", revision="v0.1.0",
                                    cache_dir=str(tmp_path / "plain"))
    assert ignored[0]["speaker"] == "bob"
    with pytest.raises(InputError) as raised:
        newsgold.load("quotes", version="9.9.9", root=repo, cache_dir=cache)
    assert str(raised.value) == (f"{repo}:0: version: no release 9.9.9: not in releases.json (recorded: none) and no "
                                 "tag v9.9.9 (release tags: v0.1.0)")


def test_load_version_outside_a_checkout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        newsgold.load("quotes", version="9.9.9", root=tmp_path, cache_dir=tmp_path / "cache")
    assert "is not a git checkout of newsgold" in str(raised.value)


def test_load_unknown_config_names_the_configs() -> None:
    with pytest.raises(InputError) as raised:
        newsgold.load("quote")
    assert "unknown config 'quote'; one of: articles, boilerplate" in str(raised.value)


# --- the validator checks the derived files ------------------------------------------------------------------

def refresh_manifest(data: Path, relative: str) -> None:
    content = manifest(data)
    entry = dict(content["files"][relative])
    entry["sha256"] = file_entry(data / relative, 0)["sha256"]
    content["files"][relative] = entry
    (data / MANIFEST).write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


def validate(capsys: pytest.CaptureFixture[str], data: Path) -> tuple[int, list[str]]:
    code, _, err = run_cli(capsys, "validate", str(data))
    return code, err.splitlines()[:-1]


def test_stale_parquet_is_reported(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = mini / "data"
    records = jsonl_records(data, "quotes")
    records[1]["speaker"] = "alice"
    write_parquet_file(parquet_file(data, "quotes"), "quotes", records)
    refresh_manifest(data, "quotes/test.parquet")
    assert validate(capsys, data) == (2, [f"{parquet_file(data, 'quotes')}:2: -: row differs from "
                                          f"{release_file(data, 'quotes')}:2"])


def test_edited_card_is_reported(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = mini / "data"
    card = data / CARD
    metadata, body = split_card(card.read_text(encoding="utf-8"))
    metadata["dataset_info"][5]["splits"][0]["num_examples"] = 7
    card.write_text("---\n" + yaml.safe_dump(metadata, sort_keys=False) + "---\n\n" + body, encoding="utf-8")
    refresh_manifest(data, CARD)
    assert validate(capsys, data) == (2, [f"{card}:0: dataset_info: differs from what the records give; "
                                          "run `newsgold build`"])


def test_unlisted_and_missing_files_are_reported(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = mini / "data"
    (data / "quotes" / "notes.txt").write_text("x\n", encoding="utf-8")
    (data / "croissant.json").unlink()
    code, lines = validate(capsys, data)
    assert code == 2
    assert lines == [f"{data / MANIFEST}:0: files.croissant.json: listed in the manifest but missing",
                     f"{data / 'quotes' / 'notes.txt'}:0: -: file is not in the manifest; run `newsgold build`"]


def test_shipped_fixture_release_is_current(mini: Path) -> None:
    # tests/fixtures/mini/data is committed; it must be what the fixture's gold builds
    before = tree_bytes(mini / "data")
    assert build(mini).changed == []
    assert tree_bytes(mini / "data") == before

