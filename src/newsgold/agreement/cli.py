"""``newsgold datasheet`` (the generated blocks of DATASHEET.md) and ``newsgold agree`` (two annotation passes
side by side): their options and help. Each runs its module's function, imported when the command runs."""

from __future__ import annotations

from typing import Any

from ..helptext import Command, add_command
from ..paths import ROOT_HELP
from ..tasks import ANNOTATION_TASKS


def register(subparsers: Any) -> None:
    p = add_command(subparsers, "datasheet", help="rewrite the generated blocks of DATASHEET.md from the data",
                    description="Rewrite the figures of DATASHEET.md between its generated markers from data/ and "
                                "the annotation passes; everything else in it is left as written.",
                    example="newsgold datasheet --check", exit_statuses=True)
    p.add_argument("--root", help=ROOT_HELP)
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 naming each block that differs")
    p.set_defaults(run=Command("newsgold.agreement.datasheet", "cmd_datasheet"))

    p = add_command(
        subparsers, "agree", help="agreement of two annotation passes and every disagreement, for adjudication",
        description="Print the agreement figures DATASHEET.md publishes for TASK and list every place where the "
                    "two passes differ (the article, the line, both values, the text around it). With --markdown, "
                    "decide each item, then save the log as annotation/adjudication/<annotation task>.md. Exit 0, "
                    "or 2 on bad input.",
        example="newsgold agree quotes a b --markdown quotes-log.md")
    p.add_argument("task", metavar="TASK",
                   help=f"an annotation task ({', '.join(ANNOTATION_TASKS)}) or one scored task of it "
                        "(doc_pairs, passages)")
    p.add_argument("pass_a", metavar="PASS_A",
                   help="the first pass (the reference of the F1 figures): a pass name such as a, gold, or a folder")
    p.add_argument("pass_b", metavar="PASS_B", help="the second pass, named the same way")
    p.add_argument("--markdown", metavar="FILE",
                   help="also write the adjudication log to complete (each disagreement with an empty decision / "
                        "reason), or - for stdout")
    p.add_argument("--json", metavar="FILE", help="also write the figures and disagreements as JSON, or - for stdout")
    p.add_argument("--root", help=ROOT_HELP)
    p.set_defaults(run=Command("newsgold.agreement.adjudication", "cmd_agree"))
