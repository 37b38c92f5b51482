"""The dataset's semantic version: the one place it is written.

Rules (see CHANGELOG.md): major when the annotation scheme changes, minor when labels are added,
patch for corrections. The package and the released data share this number.
"""

__version__ = "0.1.1"
