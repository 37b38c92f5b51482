"""Inter-annotator agreement: the figures and the disagreements of two passes (``figures``), the
``newsgold agree`` command for adjudication (``adjudication``) and ``DATASHEET.md``, which publishes the
figures (``datasheet``)."""
