"""MLCommons Croissant 1.0 metadata for the release: ``data/croissant.json``.

Generated from the schemas (one record set per config, one field per column of :mod:`newsgold.columns`,
keys and references from the record registry) and from the manifest's file hashes. The record sets read the
Parquet files, which keep every type as written; the JSON Lines files are listed beside them with their hashes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..columns import Column, columns
from ..corpus import sha256_file
from ..errors import Problem
from ..records import CONFIGS, RECORD_TYPES
from ..schemas import record_schema
from ..version import __version__
from .hub import LICENCE, LICENCE_FILES, PRETTY_NAME, parquet_file, reference_notes
from .layout import MANIFEST, release_file

CROISSANT = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
# The @context of the Croissant 1.0 specification, which readers expect verbatim.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean"}
DESCRIPTION = ("Gold labels for evaluating systems that process scraped news: the role of every line "
               "(boilerplate), the relation of every article pair and the copied passages (duplicates), every "
               "attributed quote with its cue and speaker, and every event mention linked across articles to an "
               "event registry. One split, test, for evaluation only.")


def release_files(config: str) -> tuple[str, str]:
    """The Parquet and JSON Lines files of ``config``, relative to the release folder."""
    root = Path(".")
    return parquet_file(root, config).as_posix(), release_file(root, config).as_posix()


def _file_id(path: str) -> str:
    return path.replace("/", "-")


def _file_object(path: str, sha256: str, encoding: str) -> dict[str, Any]:
    return {"@type": "cr:FileObject", "@id": _file_id(path), "name": _file_id(path), "contentUrl": path,
            "encodingFormat": encoding, "sha256": sha256}


def _field(config: str, column: Column, file_id: str, parents: tuple[str, ...]) -> dict[str, Any]:
    field_id = "/".join((config, *parents, column.name))
    field: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": column.name}
    notes = [column.description]
    if column.labels:
        notes.append("One of: " + ", ".join(column.labels) + ".")
    # Said in words, not as Croissant `references`: readers (mlcroissant among them) take `references` as a join
    # to perform, which fails on an empty record set and on list-valued fields.
    notes.append(reference_notes(config).get("/".join((*parents, column.name)), ""))
    if column.optional:
        notes.append("May be null.")
    if any(notes):
        field["description"] = " ".join(note for note in notes if note)
    target = column.item if column.kind == "list" and column.item is not None else column
    if column.kind == "list":
        field["repeated"] = True
    if target.kind == "struct":
        field["subField"] = [_field(config, c, file_id, (*parents, column.name)) for c in target.fields]
    elif target.kind in DATA_TYPES:
        field["dataType"] = DATA_TYPES[target.kind]
        top = parents[0] if parents else column.name
        source: dict[str, Any] = {"fileObject": {"@id": file_id}, "extract": {"column": top}}
        if parents:
            # Inside a struct (or each struct of a list of structs) the value is found by its path below
            # the Parquet column.
            source["transform"] = {"jsonPath": ".".join((*parents[1:], column.name))}
        field["source"] = source
    else:
        raise ValueError(f"{field_id}: a list of lists has no Croissant 1.0 field")
    return field


def record_set(config: str) -> dict[str, Any]:
    schema = record_schema(config)
    parquet, _ = release_files(config)
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": schema.get("description", schema.get("title", config)),
        "key": [{"@id": f"{config}/{name}"} for name in RECORD_TYPES[config].key],
        "field": [_field(config, column, _file_id(parquet), ()) for column in columns(config)],
    }


def croissant_metadata(version: str, files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The metadata of a release whose manifest lists ``files`` (path → entry with ``sha256``)."""
    distribution = []
    for config in CONFIGS:
        parquet, jsonl = release_files(config)
        distribution.append(_file_object(parquet, files[parquet]["sha256"], "application/x-parquet"))
        distribution.append(_file_object(jsonl, files[jsonl]["sha256"], "application/jsonlines"))
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": PRETTY_NAME,
        "description": DESCRIPTION,
        "conformsTo": CONFORMS_TO,
        "version": version,
        "inLanguage": "en",
        "license": [
            "https://creativecommons.org/licenses/by/4.0/",
            # The URL covers the labels; the terms say what covers the article texts (nothing) and the code.
            {"@type": "sc:CreativeWork", "name": "newsgold licence terms", "description": f"{LICENCE} {LICENCE_FILES}"},
        ],
        "citeAs": (f"@misc{{newsgold, title = {{newsgold: gold labels for news deduplication, boilerplate, quote "
                   f"and event systems}}, note = {{Version {version}}}}}"),
        "keywords": ["news", "boilerplate removal", "near-duplicate detection", "quotation attribution",
                     "event coreference", "evaluation"],
        "creator": {"@type": "sc:Organization", "name": "newsgold maintainers"},
        "distribution": distribution,
        "recordSet": [record_set(config) for config in CONFIGS],
    }


def croissant_text(version: str, files: dict[str, dict[str, Any]]) -> str:
    return json.dumps(croissant_metadata(version, files), indent=2, ensure_ascii=False) + "\n"


def _hashes(data_dir: Path) -> dict[str, dict[str, Any]]:
    files = {}
    for config in CONFIGS:
        for relative in release_files(config):
            path = data_dir / relative
            if path.exists():
                files[relative] = {"sha256": sha256_file(path)}
    return files


def write_croissant(target: Path, records: dict[str, list[dict[str, Any]]]) -> None:
    # The manifest is written last, over every file including this one, so the hashes are taken here.
    (target / CROISSANT).write_text(croissant_text(__version__, _hashes(target)), encoding="utf-8", newline="\n")


def croissant_problems(data_dir: Path, version: str) -> list[Problem]:
    path = data_dir / CROISSANT
    if not path.exists():
        return [Problem(str(path), 0, "-", "Croissant metadata is missing; run `newsgold build`")]
    try:
        manifest = json.loads((data_dir / MANIFEST).read_text(encoding="utf-8"))
        written = json.loads(path.read_text(encoding="utf-8"))
        expected = croissant_metadata(version, manifest["files"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [Problem(str(path), 0, "-", f"cannot be checked: {error}")]
    if written != expected:
        return [Problem(str(path), 0, "-", "differs from what the schemas and the manifest give; "
                                           "run `newsgold build`")]
    return []
