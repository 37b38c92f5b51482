"""The scored tasks, each backed by released configs and annotated under one annotation task.

Every task has the same four parts, each in the module of its kind, keyed by the task name: a schema for its
gold (``schema/records``) and predictions (``schema/predictions``), a gold builder (the release build, with
the derive hooks of :mod:`newsgold.records`), a Label Studio converter and a scorer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    name: str
    configs: tuple[str, ...]  # the released configs that hold this task's gold
    annotation_task: str  # the folder under annotation/passes/ and the guideline it follows


TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task("boilerplate", ("boilerplate",), "boilerplate"),
        Task("doc_pairs", ("doc_pairs",), "duplicates"),
        Task("passages", ("passages",), "duplicates"),
        Task("quotes", ("quotes",), "quotes"),
        Task("events", ("events", "event_mentions"), "events"),
    )
}
