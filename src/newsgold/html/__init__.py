"""The HTML pages: the error report of a system (``report``), the static viewer of the gold (``viewer``), the
shared rendering of articles and spans (``render``) and their commands (``cli``)."""
