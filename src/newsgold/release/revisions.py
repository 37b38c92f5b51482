"""Releases at git revisions: the index of releases, and the ``data/`` folder of a release, tag or commit.

Every release is recorded in ``releases.json`` at the root of the repository: version → the commit it was cut
at, that commit's date and the sha256 of its ``data/MANIFEST.json``. The index is a committed file, so it
travels with every clone, mirror and fork, which tags do not; a tag ``v<version>`` is optional and is only read
for a version the index does not have. A commit cannot hold its own hash, so a release is recorded by the
commit after it (``newsgold release`` writes the entry; see docs/versioning.md).

An older release is read by exporting its ``data/`` folder with ``git archive`` (which reads the object store
and leaves the working tree, the index and the refs alone) into a folder named after the commit, so an export
never goes stale: a commit's content never changes. The export is checked against the manifest hash the index
records.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, raise_if
from ..jsonl import write_text_atomic
from ..paths import ROOT_HELP

DATA = "data"
MANIFEST_PATH = f"{DATA}/MANIFEST.json"
RELEASES = "releases.json"
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


@dataclass(frozen=True)
class ReleaseEntry:
    """One release in ``releases.json``: the commit it was cut at, that commit's date, its manifest's sha256."""

    version: str
    commit: str
    date: str
    manifest_sha256: str

    def as_json(self) -> dict[str, str]:
        return {"commit": self.commit, "date": self.date, "manifest_sha256": self.manifest_sha256}


def version_tag(version: str) -> str:
    return f"v{version}"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError([Problem(str(repo), 0, "-", "git is not installed")]) from None


def checkout_root(path: Path) -> Path | None:
    """The top of the git checkout holding ``path``, or None when it is not in one."""
    if not path.exists():
        return None
    result = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    return Path(result.stdout.decode().strip()) if result.returncode == 0 else None


def resolve(repo: Path, revision: str) -> str | None:
    """The commit a revision (tag, branch, sha, ``HEAD~1``, ...) names in ``repo``, or None."""
    if revision.startswith("-"):
        return None  # never let a revision be read as an option of git
    result = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return result.stdout.decode().strip() if result.returncode == 0 else None


def version_tags(repo: Path) -> list[str]:
    result = _git(repo, "tag", "--list", "v*")
    return sorted(result.stdout.decode().split()) if result.returncode == 0 else []


def version_key(version: str) -> tuple[int, ...]:
    """``"0.10.1"`` → ``(0, 10, 1)``: versions in numeric order."""
    return tuple(int(part) for part in version.split("."))


def _line_of(text: str, key: str) -> int:
    found = text.find(json.dumps(key))
    return text.count("\n", 0, found) + 1 if found >= 0 else 0


def read_index(root: Path) -> dict[str, ReleaseEntry]:
    """The releases recorded in ``root/releases.json``, oldest first (empty when there is no index).

    Raises InputError naming every malformed entry as ``releases.json:line: version.field: message``.
    """
    path = root / RELEASES
    if not path.is_file():
        return {}
    where = str(path)

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"duplicate key {repeated[0]!r}")
        return dict(pairs)

    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text, object_pairs_hook=unique)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError([Problem(where, 0, "-", f"not a readable JSON file: {error}")]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(where, 1, "-", "expected an object: version -> {commit, date, manifest_sha256}")])
    problems: list[Problem] = []
    entries: dict[str, ReleaseEntry] = {}
    checks = (("commit", _COMMIT, "a full commit hash (40 hex digits)"), ("date", _DATE, "a date YYYY-MM-DD"),
              ("manifest_sha256", _SHA256, "a sha256 (64 hex digits)"))
    for version, entry in data.items():
        line = _line_of(text, version)
        if not _VERSION.match(version):
            problems.append(Problem(where, line, version, "not a version MAJOR.MINOR.PATCH"))
            continue
        if not isinstance(entry, dict) or sorted(entry) != sorted(name for name, _, _ in checks):
            problems.append(Problem(where, line, version, "expected an object with exactly commit, date and "
                                                          "manifest_sha256"))
            continue
        bad = [Problem(where, line, f"{version}.{name}", f"expected {what}")
               for name, pattern, what in checks if not isinstance(entry[name], str) or not pattern.match(entry[name])]
        problems += bad
        if not bad:
            entries[version] = ReleaseEntry(version, entry["commit"], entry["date"], entry["manifest_sha256"])
    raise_if(problems)
    return dict(sorted(entries.items(), key=lambda item: version_key(item[0])))


def index_text(entries: dict[str, ReleaseEntry]) -> str:
    """``releases.json`` as written: versions in numeric order, one field per line."""
    ordered = sorted(entries.values(), key=lambda entry: version_key(entry.version))
    return json.dumps({entry.version: entry.as_json() for entry in ordered}, indent=2) + "\n"


def manifest_sha256(data_dir: Path) -> str | None:
    """The sha256 of ``data_dir/MANIFEST.json``, which pins every file of the release (None without one)."""
    path = data_dir / "MANIFEST.json"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _manifest_version(data: bytes) -> str | None:
    try:
        version = json.loads(data).get("version")
    except (ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def record_release(repo: Path, revision: str = "HEAD") -> tuple[ReleaseEntry, bool]:
    """Record the release built at ``revision`` in ``repo/releases.json``; the entry, and whether it is new.

    The version and the manifest hash are read from ``data/MANIFEST.json`` of that commit, the date is its
    commit date. A version already recorded at another commit is refused: a published release never moves.
    """
    commit = resolve(repo, revision)
    if commit is None:
        raise InputError([Problem(str(repo), 0, "--commit", f"no commit {revision!r} in this checkout")])
    shown = _git(repo, "show", f"{commit}:{MANIFEST_PATH}")
    version = _manifest_version(shown.stdout) if shown.returncode == 0 else None
    if version is None or not _VERSION.match(version):
        raise InputError([Problem(str(repo), 0, "--commit", f"commit {commit[:12]} has no {MANIFEST_PATH} with a "
                                                            "version: build and commit the release first")])
    date = _git(repo, "show", "-s", "--format=%cs", commit).stdout.decode().strip()
    entry = ReleaseEntry(version, commit, date, hashlib.sha256(shown.stdout).hexdigest())
    index = read_index(repo)
    known = index.get(version)
    if known == entry:
        return entry, False
    if known is not None:
        raise InputError([Problem(str(repo / RELEASES), _line_of((repo / RELEASES).read_text(encoding="utf-8"),
                                                                 version), version,
                                  f"release {version} is already recorded at commit {known.commit[:12]}; a published "
                                  "release never moves: set a new version in src/newsgold/version.py and rebuild")])
    index[version] = entry
    write_text_atomic(repo / RELEASES, index_text(index))
    return entry, True


def source_checkout(source: Path, *, given: bool) -> Path | None:
    """The git checkout of newsgold that holds ``source`` (a folder with ``data/``), or None.

    An installed package's data may sit inside some other git checkout (a project holding its virtual
    environment): unless the folder was ``given``, only a newsgold source tree counts.
    """
    return checkout_root(source) if given or (source / "src" / "newsgold").is_dir() else None


def release_data(version: str, source: Path, repo: Path | None, cache: Path) -> tuple[Path, str]:
    """The ``data/`` folder of release ``version``, and a label that says where it came from.

    ``source`` holds ``data/`` and ``releases.json`` (a checkout, or the installed package's copy); ``repo`` is
    its git checkout, or None. A recorded release is exported from its commit when the checkout has it, and
    else taken from ``source/data`` if that is the release byte for byte (its manifest has the recorded
    hash). A version the index does not have is looked for as the tag ``v<version>``.
    """
    index = read_index(repo if repo is not None else source)
    entry = index.get(version)
    local = source / DATA
    if entry is not None:
        if repo is not None and resolve(repo, entry.commit) is not None:
            folder = export_data(repo, entry.commit, cache)
            found = manifest_sha256(folder)
            if found != entry.manifest_sha256:
                raise InputError([Problem(str(repo / RELEASES), 0, version,
                                          f"data/ of commit {entry.commit[:12]} has manifest sha256 "
                                          f"{(found or 'none')[:12]}, not the {entry.manifest_sha256[:12]} recorded")])
            return folder, f"{version} ({entry.commit[:12]})"
        if manifest_sha256(local) == entry.manifest_sha256:
            return local, f"{version} ({local})"
        found = manifest_sha256(local)
        where = ("this clone does not have that commit (a shallow clone? git fetch --unshallow)" if repo is not None
                 else f"{source} is not a git checkout of newsgold, and its data/ is another build (manifest sha256 "
                      f"{(found or 'none')[:12]}, recorded {entry.manifest_sha256[:12]}); clone the repository")
        raise InputError([Problem(str(repo or source), 0, "version",
                                  f"release {version} is commit {entry.commit[:12]} ({RELEASES}), but {where}")])
    if repo is None:
        manifest = local / "MANIFEST.json"
        if not index and manifest.is_file() and _manifest_version(manifest.read_bytes()) == version:
            return local, f"{version} ({local})"  # no index to say otherwise: the shipped release is that version
        recorded = ", ".join(index) or "none"
        raise InputError([Problem(str(source), 0, "version",
                                  f"no release {version} in {RELEASES} (recorded: {recorded}), and {source} is not a "
                                  "git checkout of newsgold to find a tag in; clone the repository, or pass the "
                                  "release folder as data_dir")])
    commit = resolve(repo, f"refs/tags/{version_tag(version)}")
    if commit is None:
        recorded = ", ".join(index) or "none"
        tags = ", ".join(version_tags(repo)) or "none"
        raise InputError([Problem(str(repo), 0, "version",
                                  f"no release {version}: not in {RELEASES} (recorded: {recorded}) and no tag "
                                  f"{version_tag(version)} (release tags: {tags})")])
    return export_data(repo, commit, cache), f"{version_tag(version)} ({commit[:12]})"


def export_data(repo: Path, commit: str, cache: Path) -> Path:
    """The ``data/`` folder of ``commit``, exported once into ``cache/<commit>/data`` and reused after."""
    target = cache / commit
    if (target / DATA).is_dir():
        return target / DATA
    result = _git(repo, "archive", "--format=tar", commit, "--", DATA)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise InputError([Problem(str(repo), 0, "-", f"cannot export {DATA}/ of {commit[:12]}: "
                                                     f"{message[-1] if message else 'git archive failed'}")])
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{commit[:12]}-", dir=cache))
    try:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            _extract(archive, staging)
        try:
            staging.rename(target)
        except OSError:
            if not (target / DATA).is_dir():  # another process may have put the same export in place
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / DATA


def _extract(archive: tarfile.TarFile, folder: Path) -> None:
    if hasattr(tarfile, "data_filter"):
        archive.extractall(folder, filter="data")
        return
    # Pythons without extraction filters: git archive writes only relative paths and plain files, but check.
    for member in archive.getmembers():
        if member.name.startswith("/") or ".." in Path(member.name).parts or not (member.isfile() or member.isdir()):
            raise InputError([Problem(member.name, 0, "-", "unexpected entry in the exported release")])
    archive.extractall(folder)


# ---------------------------------------------------------------------------------------------------------
# Command line


def cmd_release(args: argparse.Namespace) -> int:
    from ..paths import project_root

    source = project_root(args.root)
    repo = checkout_root(source)
    if repo is None:
        raise InputError([Problem(str(source), 0, "--root", "not a git checkout: a release is recorded in the "
                                                            "repository it is cut in")])
    entry, new = record_release(repo, args.commit)
    where = (f"release {entry.version}: commit {entry.commit[:12]} ({entry.date}), manifest sha256 "
             f"{entry.manifest_sha256[:12]}")
    if not new:
        print(f"{repo / RELEASES}: {where}, already recorded")
        return 0
    print(f"{repo / RELEASES}: recorded {where}")
    print(f"next: git commit -m 'Record release {entry.version}' {RELEASES}")
    return 0


def register(subparsers: Any) -> None:
    from ..helptext import add_command

    p = add_command(subparsers, "release", help="record a release (its commit, date and manifest hash) in "
                                                "releases.json",
                    description="Record the release committed at --commit (default: HEAD) in releases.json: its "
                                "version and manifest sha256 from data/MANIFEST.json of that commit, and the "
                                "commit's date. newsgold.load(config, version=...) and newsgold diff find releases "
                                "through this index in any clone, tags or none. Run it right after the release "
                                "commit and commit releases.json (a commit cannot hold its own hash). A version "
                                "already recorded at another commit is refused.",
                    example="newsgold release --commit HEAD")
    p.add_argument("--commit", default="HEAD", metavar="REV", help="the release commit (default: HEAD)")
    p.add_argument("--root", help=ROOT_HELP)
    p.set_defaults(run=cmd_release)
