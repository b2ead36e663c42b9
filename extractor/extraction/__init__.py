"""Figures out of a normalised note: the sentence patterns run section by section
(``sentences``, their groups read by ``attributes``, what no pattern read in ``coverage``),
the standard tables (``table_grid``, ``tables``), and codes given to name-only lines (``codes``).
``examples`` runs every pattern's examples."""
