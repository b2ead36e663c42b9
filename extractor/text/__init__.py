"""Text for matching: the reader's lines normalised with an offset back to every original
character (``normalize``), and amounts, percentages and counts read as exact numbers
(``amounts``)."""
