"""``newsgold synth``: its options and help. The command runs :func:`newsgold.synth.release.cmd_synth`, imported
when it runs (it writes Parquet through pyarrow)."""

from __future__ import annotations

from typing import Any

from ..helptext import Command, add_command
from . import DEFAULT_PAIRS, DEFAULT_SEED


def register(subparsers: Any) -> None:
    p = add_command(subparsers, "synth", help="write a synthetic stress split of any size, labelled by construction",
                    description="Derive documents from the gold by recorded operations and write them, with their "
                                "doc_pairs and boilerplate labels, as a release folder.",
                    example="newsgold synth --out synthetic --n 1000 --seed 0")
    p.add_argument("--out", required=True, help="the folder to write (replaced if it is a synthetic release)")
    p.add_argument("--n", type=int, default=DEFAULT_PAIRS, help=f"document pairs to make (default {DEFAULT_PAIRS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--source", help="the release to derive from (default: the shipped one)")
    p.set_defaults(run=Command("newsgold.synth.release", "cmd_synth"))
