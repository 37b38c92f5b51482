"""``newsgold diff OLD NEW``: the records added, removed and changed between two releases, config by config.

Scores are comparable between two releases exactly when the records they are computed from are the same.
Records are matched by their key in the record registry (``quote_id``, ``article_id``/``line_no``, ...), so a
corrected label shows as one changed record with the fields that changed, not as a removal and an addition.
A side is a release folder (or a checkout holding ``data/``), a version recorded in ``releases.json`` (``0.1.0``
or ``v0.1.0``: the commit the index records, with or without tags), or a git revision of the checkout (a tag,
a branch, a commit, ``HEAD~1``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus import sha256_bytes
from ..errors import InputError, Problem, raise_if
from ..jsonl import read_jsonl
from ..records import CONFIGS, RECORD_TYPES
from ..tasks import TASKS
from .layout import MANIFEST, release_file
from .revisions import RELEASES, export_data, read_index, release_data, resolve, source_checkout, version_tag

EXIT_DIFFERENT = 1
Key = tuple[Any, ...]


@dataclass
class Side:
    label: str
    data_dir: Path
    version: str
    manifest_sha256: str

    @classmethod
    def read(cls, label: str, data_dir: Path) -> Side:
        manifest_path = data_dir / MANIFEST
        data = manifest_path.read_bytes() if manifest_path.is_file() else b""
        manifest: Any
        try:
            manifest = json.loads(data) if data else {}
        except ValueError:
            manifest = {}
        version = str(manifest.get("version", "unknown")) if isinstance(manifest, dict) else "unknown"
        return cls(label, data_dir, version, sha256_bytes(data) if data else "none")


@dataclass
class ConfigDiff:
    config: str
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[tuple[Key, dict[str, tuple[Any, Any]]]] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class ReleaseDiff:
    old: Side
    new: Side
    configs: list[ConfigDiff]

    @property
    def differing(self) -> list[str]:
        return [d.config for d in self.configs if d.differs]

    def affected_tasks(self) -> list[str]:
        """Tasks whose scores may move: their configs differ, or records they refer to (articles, entities)."""
        affected = set(self.differing)
        grew = True
        while grew:
            before = len(affected)
            for config, record_type in RECORD_TYPES.items():
                if any(reference.target in affected for reference in record_type.references):
                    affected.add(config)
            grew = len(affected) > before
        return [name for name, task in TASKS.items() if affected & set(task.configs)]


def read_records(data_dir: Path, config: str) -> list[dict[str, Any]]:
    # A release from before a config existed has no file for it: it holds no records of that config.
    rows, problems = read_jsonl(release_file(data_dir, config), missing_ok=True)
    # Records are matched by key; any release's schema may be older than today's, so only the key is checked.
    problems += [row.problem(name, f"a key field holds {type(row.data[name]).__name__}, not a string or a number")
                 for row in rows for name in RECORD_TYPES[config].key if isinstance(row.data.get(name), (list, dict))]
    raise_if(problems)
    return [row.data for row in rows]


def diff_config(config: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> ConfigDiff:
    record_type = RECORD_TYPES[config]
    before = {record_type.key_of(r): r for r in old}
    after = {record_type.key_of(r): r for r in new}
    result = ConfigDiff(config)
    # Listed in the order of the released files, so the report reads alongside them.
    result.added = sorted((k for k in after if k not in before), key=lambda k: record_type.sort_key(after[k]))
    result.removed = sorted((k for k in before if k not in after), key=lambda k: record_type.sort_key(before[k]))
    for key in sorted((k for k in after if k in before), key=lambda k: record_type.sort_key(after[k])):
        a, b = before[key], after[key]
        fields = {name: (a.get(name), b.get(name)) for name in [*a, *(n for n in b if n not in a)]
                  if a.get(name) != b.get(name) or (name in a) != (name in b)}
        if fields:
            result.changed.append((key, fields))
    return result


def diff_releases(old: Side, new: Side) -> ReleaseDiff:
    return ReleaseDiff(old, new, [diff_config(c, read_records(old.data_dir, c), read_records(new.data_dir, c))
                                  for c in CONFIGS])


def key_text(key: Key) -> str:
    return "/".join(str(part) for part in key)


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def render(result: ReleaseDiff) -> str:
    lines = [f"OLD  {result.old.label} (version {result.old.version}, manifest {result.old.manifest_sha256[:12]})",
             f"NEW  {result.new.label} (version {result.new.version}, manifest {result.new.manifest_sha256[:12]})"]
    for d in result.configs:
        if not d.differs:
            continue
        lines.append(f"{d.config}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed")
        lines += [f"  + {key_text(key)}" for key in d.added]
        lines += [f"  - {key_text(key)}" for key in d.removed]
        for key, fields in d.changed:
            changes = "; ".join(f"{name} {_short(a)} → {_short(b)}" for name, (a, b) in fields.items())
            lines.append(f"  ~ {key_text(key)}: {changes}")
    same = [d.config for d in result.configs if not d.differs]
    if same:
        lines.append("unchanged: " + ", ".join(same))
    if result.differing:
        count = sum(len(d.added) + len(d.removed) + len(d.changed) for d in result.configs)
        lines.append(f"{count} record(s) differ: scores of {', '.join(result.affected_tasks()) or 'no task'} are not "
                     "comparable between OLD and NEW")
    else:
        lines.append("the records are identical: scores are comparable between OLD and NEW")
    return "\n".join(lines)


def as_json(result: ReleaseDiff) -> dict[str, Any]:
    def side(s: Side) -> dict[str, str]:
        return {"label": s.label, "version": s.version, "manifest_sha256": s.manifest_sha256}

    return {
        "old": side(result.old),
        "new": side(result.new),
        "configs": {d.config: {"added": [key_text(k) for k in d.added], "removed": [key_text(k) for k in d.removed],
                               "changed": {key_text(k): sorted(f) for k, f in d.changed}}
                    for d in result.configs if d.differs},
        "comparable": not result.differing,
        "affected_tasks": result.affected_tasks(),
    }


def locate(spec: str, source: Path, repo: Path | None, exports: Path) -> Side:
    """A side of the diff: a release folder, a checkout holding ``data/``, a recorded version, or a git revision
    of ``repo``. ``source`` is the folder whose ``releases.json`` and ``data/`` stand for recorded versions."""
    path = Path(spec)
    if path.is_dir():
        folder = path / "data" if not (path / MANIFEST).exists() and (path / "data" / MANIFEST).exists() else path
        return Side.read(str(folder), folder)
    version = spec.removeprefix("v")
    if version in read_index(repo if repo is not None else source):
        folder, label = release_data(version, source, repo, exports)
        return Side.read(label, folder)
    if repo is None:
        raise InputError([Problem(spec, 0, "-", "neither a release folder nor, outside a git checkout, a revision")])
    for revision in (spec, version_tag(spec)):
        commit = resolve(repo, revision)
        if commit is not None:
            return Side.read(f"{revision} ({commit[:12]})", export_data(repo, commit, exports))
    raise InputError([Problem(spec, 0, "-", f"neither a release folder, a version in {RELEASES} nor a revision of "
                                            f"{repo}")])


def cmd_diff(args: argparse.Namespace) -> int:
    from ..paths import reading_root

    source = reading_root(args.root)
    repo = source_checkout(source, given=args.root is not None)
    with tempfile.TemporaryDirectory(prefix="newsgold-diff-") as exports:
        result = diff_releases(locate(args.old, source, repo, Path(exports)),
                               locate(args.new, source, repo, Path(exports)))
        if args.json:
            json.dump(as_json(result), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            print(render(result))
    return EXIT_DIFFERENT if result.differing else 0


def register(subparsers: Any) -> None:
    from ..helptext import add_command

    p = add_command(subparsers, "diff", help="records added, removed and changed between two releases (exit 1 if any)",
                    description="List the records added, removed and changed between two releases, config by "
                                "config, and the tasks whose scores are not comparable between them. A side is a "
                                "release folder, a version recorded in releases.json (0.1.0 or v0.1.0) or a git "
                                "revision.",
                    example="newsgold diff 0.1.0 data", exit_statuses=True)
    p.add_argument("old", help="a release folder, a checkout, a version (0.1.0, v0.1.0) or a git revision (HEAD~1)")
    p.add_argument("new", help="the same kinds as OLD")
    p.add_argument("--root", help="the git checkout that revisions name (default: the one newsgold runs from)")
    p.add_argument("--json", action="store_true", help="print the differences as JSON")
    p.set_defaults(run=cmd_diff)
