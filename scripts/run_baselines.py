"""Run the baselines, score them and print the leaderboard of this checkout (thin: the logic is the library's)."""

import sys
from pathlib import Path

from newsgold.cli import main

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    sys.exit(main(["baselines", "--root", str(ROOT), "--print", *sys.argv[1:]]))
