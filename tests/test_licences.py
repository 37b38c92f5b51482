"""The licences: MIT for the code, CC BY 4.0 for every label and registry record, and the article texts' status,
stated alike in the licence files, the package metadata, the dataset card, Croissant and the datasheet."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from newsgold.release.hub import CARD, split_card

FILES = ("LICENSE", "LICENSE-annotations")
ARTICLE_TEXTS = "scraped news articles whose copyright stays with their publishers"


def test_the_licence_files_hold_the_licences() -> None:
    code = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License\n") and "THE SOFTWARE IS PROVIDED \"AS IS\"" in code
    labels = (REPO / "LICENSE-annotations").read_text(encoding="utf-8")
    assert labels.startswith("newsgold annotations: Creative Commons Attribution 4.0 International (CC BY 4.0)\n")
    assert ARTICLE_TEXTS in " ".join(labels.split())
    for section in range(1, 9):  # the legal code itself, every section
        assert f"\nSection {section} -- " in labels, section


def test_the_package_metadata_names_both_files() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert project["license-files"] == list(FILES)


def test_the_card_croissant_and_datasheet_state_the_same_terms() -> None:
    metadata, body = split_card((REPO / "data" / CARD).read_text(encoding="utf-8"))
    croissant = json.loads((REPO / "data" / "croissant.json").read_text(encoding="utf-8"))
    terms = next(item["description"] for item in croissant["license"] if isinstance(item, dict))
    assert croissant["license"][0] == "https://creativecommons.org/licenses/by/4.0/"
    licence_section = body.split("## Licence\n", 1)[1]
    datasheet = " ".join((REPO / "DATASHEET.md").read_text(encoding="utf-8").split())
    for text in (metadata["license_details"], licence_section, terms, datasheet):
        for name in FILES:
            assert name in text
        assert "CC BY 4.0" in text and "MIT" in text
        for words in ("scraped news articles", "copyright stays with their publishers", "research evaluation",
                      "neither licence"):
            assert words in text, (words, text)
