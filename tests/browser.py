"""Headless Chromium for the tests that draw pages (the report, the viewer, the Label Studio editor).

Without Chromium these tests skip with one line that says how to get it (``make browser``), except under
``CI=true``, where they fail: a CI run must draw the pages. ``make test`` installs Chromium itself as root or
under CI, and says so before apt-get runs.
"""

from __future__ import annotations

import os
import shutil

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
MISSING = ("Chromium is not installed: `make browser` installs Debian's chromium (apt-get, as root or with sudo); "
           "the report, viewer and editor tests need a real browser")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def chromium() -> str:
    """The Chromium executable; skips without one, but fails under CI, which must run these tests."""
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    if in_ci():
        pytest.fail(f"CI=true: {MISSING}")
    pytest.skip(MISSING)
