"""Synthetic stress splits derived from the gold, labelled by construction.

``documents`` (documents and the material the gold offers) at the bottom; the operations by kind: ``surface``
(white space and Unicode: exact copies), ``content`` (sentence and paragraph edits, splices: near duplicates
and partial overlaps), ``boilerplate`` (inventory lines injected or stripped); ``generate`` draws clusters,
labels their pairs and gives the records; ``release`` writes a synthetic release folder
(``newsgold synth``).
"""

DEFAULT_PAIRS = 3000  # the document pairs of a synthetic split unless asked otherwise (the shipped one has them)
DEFAULT_SEED = 0
