"""What staff ask: the curators' report and suggested alternates, from questions recorded without identity."""
