"""Releases at git revisions: the ``data/`` folder of a tag or commit of a newsgold checkout.

Every release is tagged ``v<version>``. An older release is read by exporting its ``data/`` folder with
``git archive`` (which reads the object store and leaves the working tree, the index and the refs alone)
into a folder named after the commit, so an export never goes stale: a commit's content never changes.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .errors import InputError, Problem

DATA = "data"


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


def tagged_commit(repo: Path, version: str) -> str:
    """The commit of release ``version`` (its tag ``v<version>``); InputError naming the tags there are."""
    commit = resolve(repo, f"refs/tags/{version_tag(version)}")
    if commit is None:
        tags = ", ".join(version_tags(repo)) or "none"
        raise InputError([Problem(str(repo), 0, "version",
                                  f"no tag {version_tag(version)} in this checkout (release tags: {tags})")])
    return commit


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
