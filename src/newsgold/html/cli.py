"""``newsgold report`` (a system's errors drawn on the articles) and ``newsgold view`` (the gold as a static site).

Both read a release folder (``--gold-dir``, default: the shipped release) and write HTML that needs no network.
Bad input (a missing folder, a prediction problem) is reported as ``path:line: field: message`` with exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..paths import writable_output


def cmd_report(args: argparse.Namespace) -> int:
    from ..release.dataset import Release
    from .report import render_report

    out = writable_output(args.out)
    release = Release.load(args.gold_dir)
    text = render_report(Path(args.pred_dir), release)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from ..release.dataset import Release
    from .viewer import write_site

    out = writable_output(args.out)
    release = Release.load(args.gold_dir)
    written = write_site(release, out)
    print(f"wrote {len(written)} pages to {out}; open {out / 'index.html'}")
    return 0


def register(subparsers: Any) -> None:
    from ..helptext import add_command

    p = add_command(subparsers, "report", help="error-analysis report of a system's predictions, as one HTML file",
                    description="Score every <task>.jsonl of --pred-dir and draw each error on the text, in one "
                                "self-contained HTML file.",
                    example="newsgold report --pred-dir baselines/predictions/quote-rules --out report.html")
    p.add_argument("--pred-dir", required=True, help="a folder of prediction files (<task>.jsonl)")
    p.add_argument("--out", required=True, help="the HTML file to write, e.g. report.html")
    p.add_argument("--gold-dir", help="the release folder to compare with (default: the shipped release)")
    p.set_defaults(run=cmd_report)

    v = add_command(subparsers, "view", help="browse the gold: a static HTML site of articles, registries and pairs",
                    description="Write a static site that draws the gold of a release: a folder of self-contained "
                                "pages (index.html, one page per article, the registries and the pairs) that link "
                                "to each other and work from file://.",
                    example="newsgold view --out site")
    v.add_argument("--out", required=True, help="the folder to write the site into (created if missing)")
    v.add_argument("--gold-dir", help="the release folder to draw (default: the shipped release)")
    v.set_defaults(run=cmd_view)
