"""Turn a chat model's answers into a newsgold prediction file, anchored by text.

Ask the model with ``prompt-quotes.md`` or ``prompt-events.md`` (the article in place of ``{article}``), save each
reply as ``<article_id>.txt`` in one folder, then::

    python examples/llm/parse_answers.py quotes examples/llm/answers/quotes --out quotes.jsonl
    newsgold score quotes --pred quotes.jsonl                 # or --fuzzy 90 to align paraphrases too
    newsgold align quotes --pred quotes.jsonl --out quotes.offsets.jsonl   # see where each quote was placed

A reply is read the way chat models write them: prose and Markdown code fences around the answer are passed
over, and every line that starts with ``{`` is one JSON object. A line that is not valid JSON, or an object
without its quote or trigger, is skipped with a warning on stderr (``path:line: message``): the model's slip is
shown, not hidden. Values that are not valid in a prediction (an unknown quote or event type) are left out of
the record, with a warning. Which place of the article each quote or trigger names is decided by the scorer
(docs/metrics.md, "Predictions anchored by text"), which reports what it had to assume.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from newsgold.jsonl import write_jsonl
from newsgold.records import EVENT_TYPES, QUOTE_TYPES

TASKS = ("quotes", "events")
SPEAKER_LIMIT = 200  # the prediction schema's longest speaker


def event_id(name: str) -> str:
    """A model's event name as a prediction id: ``"Blinken-Xi meeting"`` -> ``blinken-xi-meeting``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:200]


def to_prediction(task: str, article_id: str, answer: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """One object of the model's answer as a prediction record, and what was left out of it."""
    notes = []
    words = answer.get("quote" if task == "quotes" else "trigger")
    if not isinstance(words, str) or not words.strip():
        return None, [f"no {'quote' if task == 'quotes' else 'trigger'}; skipped"]
    record: dict[str, Any] = {"article_id": article_id, "text": words}
    kind = answer.get("type")
    if kind is not None and kind not in (QUOTE_TYPES if task == "quotes" else EVENT_TYPES):
        notes.append(f"type {kind!r} is not a {task[:-1]} type; left out")
        kind = None
    if task == "quotes":
        speaker = answer.get("speaker")
        if isinstance(speaker, str) and speaker.strip():
            record["speaker"] = speaker.strip()[:SPEAKER_LIMIT]
    else:
        context = answer.get("context")
        if isinstance(context, str) and context.strip():
            record["context"] = context
        name = answer.get("event")
        if isinstance(name, str) and event_id(name):
            record["event"] = event_id(name)
    if kind is not None:
        record["type"] = kind
    return record, notes


def parse_answer(task: str, article_id: str, reply: str, path: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The prediction records of one reply, and a warning for each line or value left out."""
    records, warnings = [], []
    for number, line in enumerate(reply.splitlines(), start=1):
        line = line.strip()
        if not line.startswith("{"):
            continue  # prose or a code fence
        try:
            answer = json.loads(line)
        except ValueError as error:
            warnings.append(f"{path}:{number}: not valid JSON ({error}); skipped")
            continue
        if not isinstance(answer, dict):
            warnings.append(f"{path}:{number}: not a JSON object; skipped")
            continue
        record, notes = to_prediction(task, article_id, answer)
        warnings += [f"{path}:{number}: {note}" for note in notes]
        if record is not None:
            records.append(record)
    return records, warnings


def parse_folder(task: str, folder: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Every reply ``<article_id>.txt`` of a folder, in article order."""
    records, warnings = [], []
    for path in sorted(folder.glob("*.txt")):
        found, more = parse_answer(task, path.stem, path.read_text(encoding="utf-8"), str(path))
        records += found
        warnings += more
    return records, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=TASKS)
    parser.add_argument("answers", type=Path, help="a folder of replies, one <article_id>.txt per article")
    parser.add_argument("--out", type=Path, required=True, help="the prediction file to write (<task>.jsonl)")
    args = parser.parse_args(argv)
    if not args.answers.is_dir():
        print(f"{args.answers}:0: -: no such folder", file=sys.stderr)
        return 2
    records, warnings = parse_folder(args.task, args.answers)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_jsonl(args.out, records)
    print(f"{args.out}: {len(records)} predictions from {len(list(args.answers.glob('*.txt')))} replies"
          f" ({len(warnings)} warnings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
