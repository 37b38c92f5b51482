"""Build, validate and refresh the datasheet of the release in this checkout (thin: the logic is the library's)."""

import sys

from newsgold.cli import main

if __name__ == "__main__":
    for command in (["build"], ["validate"], ["datasheet"]):
        code = main(command)
        if code:
            sys.exit(code)
