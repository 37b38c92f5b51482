"""The CI and pre-annotation examples, run here as a user's CI would run them, against a baseline's predictions.

No GitHub: the workflow is parsed, its scoring ``run:`` steps are run in order with bash and the environment the
workflow sets (``$GITHUB_STEP_SUMMARY`` a local file), honouring ``if: always()``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conftest import REPO
from newsgold.baselines import leaderboard
from newsgold.version import __version__

WORKFLOW = REPO / "examples" / "github-actions.yml"
PRE_ANNOTATE = REPO / "examples" / "pre-annotate.md"
GOOD = REPO / "baselines" / "predictions" / "quote-rules" / "quotes.jsonl"  # the system the gates sit under
BIN = Path(sys.executable).parent  # where this environment's `newsgold` is


@dataclass
class Step:
    name: str
    code: int
    stdout: str
    stderr: str


def load_workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def job(workflow: dict[str, Any]) -> dict[str, Any]:
    (only,) = workflow["jobs"].values()
    return only


def scoring_steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``run:`` steps that score or report: those that call ``newsgold score`` or write the job summary."""
    return [step for step in job(workflow)["steps"]
            if "run" in step and ("newsgold score" in step["run"] or "GITHUB_STEP_SUMMARY" in step["run"])]


def run_steps(workflow: dict[str, Any], folder: Path, **overrides: str) -> tuple[list[Step], str]:
    """Run the scoring steps in ``folder`` as the runner would; the steps' results and the job summary."""
    summary = folder / "step-summary.md"
    env = {**os.environ, **{k: str(v) for k, v in workflow.get("env", {}).items()},
           **{k: str(v) for k, v in job(workflow).get("env", {}).items()}, **overrides,
           "GITHUB_STEP_SUMMARY": str(summary), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    shell = job(workflow)["defaults"]["run"]["shell"]
    assert shell == "bash"
    results: list[Step] = []
    failed = False
    for step in scoring_steps(workflow):
        assert "${{" not in step["run"], "scoring steps read the environment, not workflow expressions"
        if failed and step.get("if") != "always()":
            continue
        # GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=folder,
                              env={**env, **{k: str(v) for k, v in step.get("env", {}).items()}},
                              capture_output=True, text=True, timeout=600)
        results.append(Step(step["name"], done.returncode, done.stdout, done.stderr))
        failed = failed or done.returncode != 0
    return results, summary.read_text(encoding="utf-8") if summary.exists() else ""


def gates(workflow: dict[str, Any]) -> dict[str, float]:
    return {path: float(value) for path, value in
            (gate.split("=") for gate in workflow["env"]["NEWSGOLD_FAIL_UNDER"].split())}


def test_the_workflow_installs_the_pinned_release_and_reports_always() -> None:
    workflow = load_workflow()
    assert workflow["env"]["NEWSGOLD_REQUIREMENT"] == f"newsgold=={__version__}", "keep the example's pin current"
    steps = job(workflow)["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert 'pip install "$NEWSGOLD_REQUIREMENT"' in runs
    assert [s["name"] for s in scoring_steps(workflow)] == ["Score and gate", "Write the report into the job summary"]
    assert scoring_steps(workflow)[1]["if"] == "always()"
    assert any(step.get("uses", "").startswith("actions/upload-artifact") and step.get("if") == "always()"
               for step in steps)


def test_the_gates_sit_under_the_baseline() -> None:
    board = json.loads((REPO / leaderboard.JSON).read_text(encoding="utf-8"))
    workflow = load_workflow()
    task = workflow["env"]["NEWSGOLD_TASK"]
    (row,) = [row for row in board["tables"][task]["rows"] if row["predictions"] == GOOD.relative_to(REPO).as_posix()]
    for path, threshold in gates(workflow).items():
        value = row["report"]
        for part in path.split("."):
            value = value[part]
        assert value >= threshold, f"the example's gate {path}={threshold} fails the baseline ({value:.4f})"


def test_the_gate_passes_for_a_good_system(tmp_path: Path) -> None:
    results, summary = run_steps(load_workflow(), tmp_path, PREDICTIONS=str(GOOD))
    assert [(r.name, r.code) for r in results] == [("Score and gate", 0), ("Write the report into the job summary", 0)]
    assert "below threshold" not in results[0].stderr
    assert "| metric | value | 95% CI |" in summary
    assert re.search(r"\| `end_to_end\.f1` \| \d\.\d{4} \| \[\d\.\d{4}, \d\.\d{4}\] \|", summary), summary
    report = json.loads((tmp_path / "newsgold-report.json").read_text(encoding="utf-8"))
    assert report["bootstrap"]["replicates"] == 1000


def test_the_gate_fails_for_a_system_below_the_threshold(tmp_path: Path) -> None:
    # The same quotes, but no speaker attributed: spans still match, end-to-end attribution scores 0.
    weak = tmp_path / "weak.jsonl"
    records = [json.loads(line) for line in GOOD.read_text(encoding="utf-8").splitlines()]
    weak.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "speaker"}) + "\n" for r in records),
                    encoding="utf-8")
    results, summary = run_steps(load_workflow(), tmp_path, PREDICTIONS=str(weak))
    assert [(r.name, r.code) for r in results] == [("Score and gate", 1), ("Write the report into the job summary", 0)]
    assert "below threshold: end_to_end.f1 = 0.0000 < 0.5" in results[0].stderr
    assert "| `end_to_end.f1` | 0.0000 |" in summary  # the numbers still reach the summary


def test_unreadable_predictions_leave_a_note_in_the_summary(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"article_id": "nope", "start": 0, "end": 1}\n', encoding="utf-8")
    results, summary = run_steps(load_workflow(), tmp_path, PREDICTIONS=str(broken))
    assert [r.code for r in results] == [2, 0]
    assert "unknown article id 'nope'" in results[0].stderr
    assert "No newsgold report" in summary


def _shell_commands(markdown: str) -> list[str]:
    """The commands of the ```sh blocks, continuation lines joined."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split(" #")[0].strip()
            if command:
                commands.append(command)
    return commands


def test_pre_annotation_exports_a_baseline_as_label_studio_predictions(tmp_path: Path) -> None:
    commands = _shell_commands(PRE_ANNOTATE.read_text(encoding="utf-8"))
    exports = [c for c in commands if c.startswith("newsgold ls export")]
    assert exports
    (tmp_path / "baselines").symlink_to(REPO / "baselines")  # the commands run from the checkout
    for command in exports:
        argv = shlex.split(command)
        done = subprocess.run([str(BIN / "newsgold"), *argv[1:]], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        out = argv[argv.index("--out") + 1]
        version = argv[argv.index("--model-version") + 1]
        tasks = json.loads((tmp_path / out).read_text(encoding="utf-8"))
        predicted = [t for t in tasks if t.get("predictions")]
        assert predicted, "the baseline's predictions reach the tasks"
        assert {p["model_version"] for t in predicted for p in t["predictions"]} == {version}
