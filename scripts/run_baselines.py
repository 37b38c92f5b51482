"""Run the baselines, score them and print the leaderboard (thin: the logic is the library's)."""

import sys

from newsgold.cli import main

if __name__ == "__main__":
    sys.exit(main(["baselines", "--print", *sys.argv[1:]]))
