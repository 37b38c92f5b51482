"""Croissant 1.0 metadata: valid for mlcroissant, offline, and its records are the released records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pytest

from conftest import run_cli
from newsgold.columns import Column, columns, from_typed
from newsgold.records import CONFIGS
from newsgold.release.build import build
from newsgold.release.croissant import CONFORMS_TO, CROISSANT
from test_hub import jsonl_records, manifest, refresh_manifest, with_nulls

# mlcroissant recommends a publication date, which a release only has once it is committed (releases.json).
EXPECTED_WARNINGS = {'[Metadata(newsgold)] Property "https://schema.org/datePublished" is recommended, but does '
                     "not exist."}


def plain(value: Any, column: Column) -> Any:
    """An mlcroissant value as JSON: text comes as bytes, sub-fields under their full ids, and a null struct
    as a struct of nulls."""
    if column.kind == "list" and column.item is not None:
        return None if value is None else [plain(v, column.item) for v in value]
    if column.kind == "struct":
        by_name = {key.rsplit("/", 1)[-1]: v for key, v in value.items()}
        inner = {c.name: plain(by_name[c.name], c) for c in column.fields}
        return None if all(v is None for v in inner.values()) and column.optional else inner
    return value.decode("utf-8") if isinstance(value, bytes) else value


def croissant_records(data: Path, config: str) -> list[dict[str, Any]]:
    dataset = mlc.Dataset(jsonld=data / CROISSANT)
    out = []
    for record in dataset.records(record_set=config):
        row = {c.name: plain(record[f"{config}/{c.name}"], c) for c in columns(config)}
        out.append(from_typed(row, config))
    return out


def test_metadata_validates_offline(mini: Path) -> None:
    dataset = mlc.Dataset(jsonld=mini / "data" / CROISSANT)
    assert dataset.metadata.ctx.issues.errors == set()
    assert dataset.metadata.ctx.issues.warnings <= EXPECTED_WARNINGS
    assert dataset.metadata.version == manifest(mini / "data")["version"]
    assert [record_set.name for record_set in dataset.metadata.record_sets] == list(CONFIGS)


def test_records_iterate_and_equal_the_release(mini: Path) -> None:
    data = with_nulls(mini) / "data"
    for config in CONFIGS:
        assert croissant_records(data, config) == jsonl_records(data, config), config


def test_file_objects_carry_the_manifest_hashes(mini: Path) -> None:
    data = mini / "data"
    metadata = json.loads((data / CROISSANT).read_text(encoding="utf-8"))
    files = manifest(data)["files"]
    assert metadata["conformsTo"] == CONFORMS_TO
    described = {f["contentUrl"]: f["sha256"] for f in metadata["distribution"]}
    assert described == {path: files[path]["sha256"] for path in files if path.endswith((".parquet", ".jsonl"))}


@pytest.mark.slow
def test_repository_gold_gives_valid_croissant(repo_copy: Path) -> None:
    build(repo_copy)
    data = repo_copy / "data"
    dataset = mlc.Dataset(jsonld=data / CROISSANT)
    assert dataset.metadata.ctx.issues.errors == set()
    for config in CONFIGS:
        assert croissant_records(data, config) == jsonl_records(data, config), config


def test_edited_metadata_is_reported(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = mini / "data"
    path = data / CROISSANT
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["version"] = "9.9.9"
    path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    refresh_manifest(data, CROISSANT)
    code, _, err = run_cli(capsys, "validate", str(data))
    assert code == 2
    assert err.splitlines()[:-1] == [f"{path}:0: -: differs from what the schemas and the manifest give; "
                                     "run `newsgold build`"]
