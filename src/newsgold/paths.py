"""Where things are: the shipped release (read only) and the project a writing command works on.

**The shipped release** holds ``data/`` and ``schema/``: inside an installed wheel it is the package's own
``_release`` copy, in a source checkout the checkout itself. Reading commands (``score``, ``load``,
``validate`` without a folder) read it; nothing ever writes into it.

**A project** is a folder that holds ``annotation/`` and ``data/raw/`` (a checkout of newsgold, or a copy of
its layout), never a folder inside the installed package. Every command that writes into a project (``build``,
``add``, ``datasheet``, ``baselines``, ``ls import``, ``ls pull``, ...) works on the one :func:`project_root`
finds, from the current folder upward as git finds its repository, or on the one given with ``--root``; with
none it refuses, in one line. Commands that write a file the user names (``--out``, ``--json``) check it with
:func:`writable_output`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, Problem

_PACKAGE = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE / "_release"
_CHECKOUT = _PACKAGE.parents[1]

PROJECT_MARKERS = (Path("annotation"), Path("data") / "raw")
ROOT_HELP = ("the project to work in: a folder with annotation/ and data/raw/ (default: the nearest one from the "
             "current folder upward)")


def release_root() -> Path:
    """The folder holding ``data/`` and ``schema/``: the wheel's copy, else the source checkout."""
    return _PACKAGED if (_PACKAGED / "schema").is_dir() else _CHECKOUT


def schema_dir() -> Path:
    return release_root() / "schema"


def data_dir() -> Path:
    return release_root() / "data"


def is_project(folder: Path) -> bool:
    """Whether ``folder`` holds the project markers (and is not inside the installed package)."""
    return all((folder / marker).is_dir() for marker in PROJECT_MARKERS) and not _inside_package(folder)


def project_root(root: str | Path | None = None, *, start: Path | None = None) -> Path:
    """The project a writing command works on: ``root`` (the ``--root`` option) if given, which must be a
    project, else the nearest project from ``start`` (default: the current folder) upward.

    Raises :class:`~newsgold.errors.InputError` with one problem when there is none, so that a command run
    from an unrelated folder refuses instead of writing somewhere unexpected (or into the installed package).
    """
    markers = " and ".join(f"{marker.as_posix()}/" for marker in PROJECT_MARKERS)
    if root is not None:
        folder = Path(root)
        if _inside_package(folder):
            raise InputError([Problem(str(folder), 0, "--root", "is inside the installed newsgold package, which "
                                                                "is read only; give a project folder")])
        if not is_project(folder):
            raise InputError([Problem(str(folder), 0, "--root", f"not a newsgold project: it needs {markers}")])
        return folder
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    raise InputError([Problem(str(here), 0, "-", f"no newsgold project here or in any folder above (a folder with "
                                                 f"{markers}); work inside one, or give it with --root")])


def reading_root(root: str | Path | None = None) -> Path:
    """The folder a reading command works on: the project (``--root``, or the nearest one from the current
    folder), else the shipped release. A ``root`` that is not a project is refused as by :func:`project_root`."""
    try:
        return project_root(root)
    except InputError:
        if root is not None:
            raise
        return release_root()


def writable_output(path: str | Path) -> Path:
    """``path`` (an output a command was told to write), refused when it lies inside the installed package."""
    if _inside_package(Path(path)):
        raise InputError([Problem(str(path), 0, "-", "is inside the installed newsgold package, which is read "
                                                     "only; write somewhere else")])
    return Path(path)


def _inside_package(path: Path) -> bool:
    resolved = path.resolve()
    return resolved == _PACKAGE or _PACKAGE in resolved.parents
