"""Build, validate and refresh the datasheet of the release in this checkout (thin: the logic is the library's)."""

import sys
from pathlib import Path

from newsgold.cli import main

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    commands = (["build", "--root", str(ROOT)], ["validate", str(ROOT / "data")], ["datasheet", "--root", str(ROOT)])
    for command in commands:
        code = main(command)
        if code:
            sys.exit(code)
