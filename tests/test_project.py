"""Writing commands work on a project, found from the current folder upward as git finds its repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from newsgold.errors import InputError
from newsgold.paths import project_root, writable_output

NO_PROJECT = ("no newsgold project here or in any folder above (a folder with annotation/ and data/raw/); work "
              "inside one, or give it with --root")


def test_the_nearest_project_upward_is_found(mini: Path) -> None:
    deep = mini / "annotation" / "gold"
    assert project_root(start=deep) == mini.resolve()
    assert project_root(start=mini) == mini.resolve()
    assert project_root(mini) == mini  # --root, as given


def test_no_project_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        project_root(start=tmp_path)
    assert [str(p) for p in raised.value.problems] == [f"{tmp_path.resolve()}:0: -: {NO_PROJECT}"]
    with pytest.raises(InputError) as raised:
        project_root(tmp_path)
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path}:0: --root: not a newsgold project: it needs annotation/ and data/raw/"]


def test_the_package_is_never_a_project_nor_an_output() -> None:
    import newsgold

    package = Path(newsgold.__file__).parent
    for call in (lambda: project_root(package), lambda: writable_output(package / "_release" / "x.json")):
        with pytest.raises(InputError) as raised:
            call()
        assert "inside the installed newsgold package, which is read only" in str(raised.value)


@pytest.mark.parametrize("argv", [
    ["build"], ["build", "--check"], ["add", "c1", "x.txt"], ["check", "annotation/gold"], ["datasheet"],
    ["baselines", "--bootstrap", "1", "--jobs", "1"], ["ls", "import", "quotes", "export.json", "--into", "gold"],
])
def test_writing_commands_refuse_outside_a_project(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("A headline\n", encoding="utf-8")
    (tmp_path / "export.json").write_text("[]", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run_cli(capsys, *argv)
    assert (code, out, err) == (2, "", f"{tmp_path.resolve()}:0: -: {NO_PROJECT}\n")
    assert sorted(tmp_path.rglob("*")) == before


def test_commands_run_inside_a_project_work_on_it(mini: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini / "annotation" / "gold")
    code, out, err = run_cli(capsys, "build")
    assert (code, err) == (0, ""), err
    assert "quotes                2 rows" in out
    code, out, err = run_cli(capsys, "check", ".")
    assert (code, err) == (0, "")
    assert out.startswith(".: valid (boilerplate 9,")
