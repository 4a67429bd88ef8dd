"""The corpus and encoder files on disk: writing documents, watching for edits, loading the encoder."""
