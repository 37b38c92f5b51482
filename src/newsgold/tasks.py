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

# The annotation tasks, each once, in the order of TASKS: the folders under annotation/passes/.
ANNOTATION_TASKS: tuple[str, ...] = tuple(dict.fromkeys(task.annotation_task for task in TASKS.values()))

# The prediction formats whose spans may be anchored by their text instead of offsets (newsgold.scoring.align).
TEXT_ANCHORED = ("quotes", "events", "passages")
