"""The metric cores, independent of any task: span matching (``matching``) and coreference scores (``coref``).

They import nothing else of newsgold; the task scorers in ``newsgold.scoring`` are built on them.
"""
