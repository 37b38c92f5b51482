"""The synthetic splits: deterministic, valid, and labelled as the guidelines say, checked from their text alone.

The label checks do not reuse the generator's bookkeeping. From the released synthetic text and its line roles
they re-derive which story sentences each document holds (every body line must be a run of whole story
sentences), then apply the guideline's rules to many readings of the sentence counts: a released relation
must be the one every reading gives.
"""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, copy_tree, run_cli
from newsgold.corpus import split_lines
from newsgold.records import CONFIGS, CONTENT_ROLES, RECORD_TYPES, SYNTHETIC_CONFIGS
from newsgold.release.build import build
from newsgold.release.dataset import Release
from newsgold.release.validate import validate_release
from newsgold.schemas import ordered, record_schema
from newsgold.scoring import score
from newsgold.sentences import exact_key
from newsgold.synth.documents import Material, material
from newsgold.synth.generate import generate, synthetic_records

Records = dict[str, list[dict[str, Any]]]
PAIRS = 600


def read(folder: Path, config: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / config / "test.jsonl").read_text(encoding="utf-8").splitlines()]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository, built: its data/ holds the default synthetic split."""
    root = copy_tree(REPO, tmp_path_factory.mktemp("synth") / "repo")
    build(root)
    return root / "data"


@pytest.fixture(scope="module")
def small(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic release folder of PAIRS pairs derived from the built copy."""
    from newsgold.synth.release import write_synthetic_release

    out = tmp_path_factory.mktemp("small") / "synth"
    write_synthetic_release(out, PAIRS, seed=7, source=built, progress=False)
    return out


@pytest.fixture(scope="module")
def records(built: Path) -> Records:
    return Release.load(built).records


@pytest.fixture(scope="module")
def stories(records: Records) -> Material:
    return material(records)


# --- determinism and shape ----------------------------------------------------------------------------------


def test_same_seed_same_bytes(built: Path, small: Path, tmp_path: Path) -> None:
    from newsgold.synth.release import write_synthetic_release

    again = tmp_path / "again"
    write_synthetic_release(again, PAIRS, seed=7, source=built, progress=False)
    assert tree_bytes(again) == tree_bytes(small)


def test_another_seed_other_documents(records: Records) -> None:
    first, second = synthetic_records(records, 200, seed=1), synthetic_records(records, 200, seed=2)
    assert [a["text"] for a in first["articles_synthetic"]] != [a["text"] for a in second["articles_synthetic"]]


def test_default_folder_is_the_shipped_split(built: Path, tmp_path: Path) -> None:
    from newsgold.synth.release import write_synthetic_release

    out = tmp_path / "default"
    write_synthetic_release(out, source=built, progress=False)
    for config in SYNTHETIC_CONFIGS.values():
        assert (out / config / "test.jsonl").read_bytes() == (built / config / "test.jsonl").read_bytes()


def test_exactly_n_pairs_and_clusters_fully_paired(small: Path) -> None:
    pairs = read(small, "doc_pairs_synthetic")
    articles = read(small, "articles_synthetic")
    assert len(pairs) == PAIRS
    by_cluster = Counter(a["cluster_id"] for a in articles)
    assert sum(n * (n - 1) // 2 for n in by_cluster.values()) == PAIRS


def test_prefix_of_a_larger_split_is_the_same(stories: Material) -> None:
    # Cluster i depends on the seed and i only, so a larger split starts with the same clusters.
    small_groups = list(generate(stories, 300, seed=3))
    large_groups = list(generate(stories, 3000, seed=3))
    for a, b in zip(small_groups[:-1], large_groups, strict=False):
        assert [d.text for d in a.docs] == [d.text for d in b.docs]


def test_records_are_in_schema_key_order_and_release_order(small: Path) -> None:
    for config in SYNTHETIC_CONFIGS.values():
        records = read(small, config)
        schema = record_schema(config)
        assert all(list(ordered(r, schema)) == list(r) for r in records)
        keys = [RECORD_TYPES[config].sort_key(r) for r in records]
        assert keys == sorted(keys)


# --- validation -----------------------------------------------------------------------------------------------


def test_synthetic_folder_validates(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "validate", str(small))
    assert (code, err) == (0, "")


def test_validator_checks_synthetic_spans_references_and_coverage(small: Path, tmp_path: Path) -> None:
    from newsgold.release.layout import MANIFEST, file_entry

    broken = tmp_path / "broken"
    shutil.copytree(small, broken)
    lines = read(broken, "boilerplate_synthetic")
    lines[0]["start"] += 1  # the span no longer matches the text
    del lines[1]  # a line left without a role
    pairs = read(broken, "doc_pairs_synthetic")
    pairs[0]["b"] = "synth-9999999-00"  # an unknown article, and its real pair is missing
    manifest = json.loads((broken / MANIFEST).read_text(encoding="utf-8"))
    for config, records in (("boilerplate_synthetic", lines), ("doc_pairs_synthetic", pairs)):
        path = broken / config / "test.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        manifest["files"][f"{config}/test.jsonl"] = file_entry(path, len(records))
    (broken / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    messages = [f"{p.field}: {p.message}" for p in validate_release(broken)]
    assert any(m.startswith("text: text ") and "does not equal the article's text" in m for m in messages)
    assert any(m.startswith("line_no: missing line label: ") for m in messages)
    assert "b: unknown articles_synthetic id 'synth-9999999-00'" in messages
    assert any(m.startswith("relation: missing pair: ") for m in messages)


def test_every_config_is_typed_for_the_hub() -> None:
    from newsgold.columns import columns

    for config in SYNTHETIC_CONFIGS.values():
        assert config in CONFIGS and columns(config)


# --- labels from the text alone ---------------------------------------------------------------------------------

_ASCII_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


def _norm(text: str) -> str:
    """Undo what the copy operations may do to a sentence: Unicode forms, quote style, white space."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_ASCII_QUOTES).split())


def _story_sentences(found: Material) -> dict[str, str]:
    """Normalised story unit text -> copy identity, from the stories' own lines (re-cut here)."""
    table: dict[str, str] = {}
    for story in found.stories.values():
        for piece in story.pieces:
            for unit in piece.units:
                table[_norm(unit.text)] = unit.ident
    for runs in found.donors.values():
        for run in runs:
            for unit in run.units:
                table[_norm(unit.text)] = unit.ident
    return table


def _tile(line: str, table: dict[str, str]) -> list[str] | None:
    """The story sentences a body line is made of, in order, or None if it is not a run of whole ones."""
    words = line.split(" ")
    best: dict[int, list[str]] = {0: []}
    for start in range(len(words)):
        if start not in best:
            continue
        for end in range(start + 1, len(words) + 1):
            ident = table.get(" ".join(words[start:end]))
            if ident is not None and end not in best:
                best[end] = [*best[start], ident]
    return best.get(len(words))


def _documents(folder: Path, table: dict[str, str]) -> Iterator[tuple[str, str, str, frozenset[str]]]:
    roles: dict[str, dict[int, str]] = {}
    for line in read(folder, "boilerplate_synthetic"):
        roles.setdefault(line["article_id"], {})[line["line_no"]] = line["role"]
    for article in read(folder, "articles_synthetic"):
        labels = roles[article["article_id"]]
        content = [line for line in split_lines(article["text"]) if labels.get(line.line_no) in CONTENT_ROLES]
        idents: set[str] = set()
        for line in content:
            if labels[line.line_no] == "body":
                tiles = _tile(_norm(line.text), table)
                assert tiles is not None, f"{article['article_id']}:{line.line_no} is not whole story sentences"
                idents.update(tiles)
        yield article["article_id"], article["story"], exact_key(line.text for line in content), frozenset(idents)


def _relation_in_reading(a: frozenset[str], b: frozenset[str], count: dict[str, int]) -> str | None:
    """The guideline's steps 2 and 3 for one reading of the sentence counts."""
    shared = sum(count[i] for i in a & b)
    shorter = min(sum(count[i] for i in a), sum(count[i] for i in b))
    if 2 * shared > shorter:
        return "near_duplicate"
    return "partial_overlap" if shared >= 1 else None


def test_labels_follow_from_the_text_under_every_reading(small: Path, stories: Material) -> None:
    table = _story_sentences(stories)
    docs = {article_id: rest for article_id, *rest in _documents(small, table)}
    rng = random.Random(0)
    idents = sorted({i for _, _, found in docs.values() for i in found})
    readings = [{i: stories.counts[i][0] for i in idents}, {i: stories.counts[i][1] for i in idents}]
    readings += [{i: rng.randint(*stories.counts[i]) for i in idents} for _ in range(30)]
    seen = Counter()
    for pair in read(small, "doc_pairs_synthetic"):
        (story_a, key_a, a), (story_b, key_b, b) = docs[pair["a"]], docs[pair["b"]]
        relation = pair["relation"]
        seen[relation] += 1
        if relation == "exact":
            assert key_a == key_b
            continue
        assert key_a != key_b, pair
        found = {_relation_in_reading(a, b, count) for count in readings}
        if relation in ("near_duplicate", "partial_overlap"):
            assert found == {relation}, (pair, found)
        else:
            assert found == {None}, (pair, found)  # nothing shared in any reading
            gold = "same_event" if story_a == story_b else stories.relation(story_a, story_b)
            assert relation == gold
    assert set(seen) >= {"exact", "near_duplicate", "partial_overlap", "same_event"}


def test_line_roles_are_gold_roles_of_the_lines_they_copy(small: Path, built: Path) -> None:
    gold = {(r["article_id"], r["line_no"]): r for r in read(built, "boilerplate")}
    titles = {}
    for line in read(small, "boilerplate_synthetic"):
        if line["role"] == "title":
            assert line["article_id"] not in titles, "one title per document"
            titles[line["article_id"]] = line
        origin = gold[(line["source_article_id"], line["source_line_no"])]
        if line["origin"] == "title_copy":
            assert line["role"] == "other" and origin["role"] == "title"
            assert _norm(origin["text"]).startswith(_norm(line["text"]))
            assert line["line_no"] > titles[line["article_id"]]["line_no"]  # the first full headline is the title
        elif line["role"] == "body":
            assert origin["role"] == "body"
        else:
            assert line["role"] == origin["role"] and _norm(line["text"]) == _norm(origin["text"])


def test_near_duplicates_keep_most_of_the_shorter(small: Path) -> None:
    # The schema's reading of the counts: a near-duplicate keeps most of the shorter's sentences in every reading.
    for pair in read(small, "doc_pairs_synthetic"):
        a, b, shared = pair["a_sentences"], pair["b_sentences"], pair["shared_sentences"]
        own_most = min(a[1], b[1]) - shared[1]
        if pair["relation"] == "near_duplicate":
            assert shared[0] > min(a[1] - shared[1], b[1] - shared[1])
        if pair["relation"] == "partial_overlap":
            assert shared[1] <= min(a[0] - shared[0], b[0] - shared[0]) and shared[0] >= 1
        assert own_most >= 0


# --- scoring against a synthetic folder -------------------------------------------------------------------------


def test_a_synthetic_folder_loads_as_gold_and_scores(small: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    release = Release.load(small)
    assert len(release.articles) == len(read(small, "articles_synthetic"))
    assert release.records["doc_pairs"] is release.records["doc_pairs_synthetic"]
    perfect = [{"a": p["a"], "b": p["b"], "relation": p["relation"]} for p in release.records["doc_pairs"]]
    report = score("doc_pairs", perfect, release)
    assert report["relations"]["accuracy"] == 1.0 and report["counts"]["pairs"] == PAIRS
    lines = [{"article_id": r["article_id"], "line_no": r["line_no"], "is_boilerplate": r["is_boilerplate"],
              "role": r["role"]} for r in release.records["boilerplate"]]
    assert score("boilerplate", lines, release)["roles"]["accuracy"] == 1.0
    predictions = tmp_path / "doc_pairs.jsonl"
    predictions.write_text("".join(json.dumps(p) + "\n" for p in perfect), encoding="utf-8")
    code, out, _err = run_cli(capsys, "score", "doc_pairs", "--pred", str(predictions), "--gold-dir", str(small))
    assert code == 0 and "relations.accuracy" in out and "1.0000" in out


def test_streamed_in_many_row_groups_still_validates(built: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    from newsgold.synth import release as synth_release

    monkeypatch.setattr(synth_release, "BATCH_ROWS", dict.fromkeys(SYNTHETIC_CONFIGS.values(), 50))
    out = tmp_path / "batched"
    synth_release.write_synthetic_release(out, 300, seed=5, source=built, progress=False)
    assert pq.ParquetFile(out / "boilerplate_synthetic" / "test.parquet").num_row_groups > 1
    assert validate_release(out) == []


def test_command_refuses_to_replace_other_folders(built: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    code, out, err = run_cli(capsys, "synth", "--out", str(other), "--n", "10", "--source", str(built))
    assert code == 2 and err == f"{other}:0: -: exists and is not a synthetic release; give a new folder\n"
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    code, out, err = run_cli(capsys, "synth", "--out", str(tmp_path / "new"), "--n", "0", "--source", str(built))
    assert code == 2 and "--n" in err
    code, out, err = run_cli(capsys, "synth", "--out", str(tmp_path / "new"), "--n", "40", "--source", str(built))
    assert code == 0 and "doc_pairs_synthetic" in out and "40 rows" in out


def test_nothing_is_made_without_duplicates_gold(records: Records) -> None:
    without = {**records, "doc_pairs": []}
    assert synthetic_records(without, 100) == {config: [] for config in SYNTHETIC_CONFIGS.values()}


def test_fast_schema_check_agrees_with_the_full_validator(small: Path) -> None:
    # Validating millions of synthetic records relies on the compiled check; it may only ever say "valid"
    # where the full validator finds nothing.
    pytest.importorskip("jsonschema_rs")
    from newsgold.jsonl import Row
    from newsgold.schemas import _validator, schema_problems

    rng = random.Random(0)
    breakages = (lambda r, k: r.pop(k), lambda r, k: r.__setitem__(k, None), lambda r, k: r.__setitem__(k, 3.5),
                 lambda r, k: r.__setitem__("extra", 1), lambda r, k: r.__setitem__(k, "Not an id!"),
                 lambda r, k: r.__setitem__(k, []), lambda r, k: r.__setitem__(k, True))
    for config in SYNTHETIC_CONFIGS.values():
        schema_id = RECORD_TYPES[config].schema_id
        for record in read(small, config)[:300]:
            for broken in (record, json.loads(json.dumps(record))):
                if broken is not record:
                    rng.choice(breakages)(broken, rng.choice(sorted(broken)))
                full = [str(e.message) for e in _validator(schema_id).iter_errors(broken)]
                assert bool(schema_problems(Row(broken, "x", 1), schema_id)) == bool(full), (config, broken)
