"""The release: raw + gold -> ``newsgold build`` -> ``data/`` -> load.

``layout`` (file names and folders) at the bottom; ``validate`` checks a release folder, ``hub`` and
``croissant`` write and check the files derived from the records (Parquet, dataset card, Croissant);
``build`` writes a release, ``dataset`` reads one (the ``Release`` class), ``loading`` gives it to Hugging
Face ``datasets``, ``revisions`` indexes published releases and ``diff`` compares two.
"""
