"""What the question history says: summaries, clusters, charts, proposed alternates. Pure: no I/O."""
