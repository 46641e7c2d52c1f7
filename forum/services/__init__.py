"""Use cases: the rules of the forum. Each module is one family of verbs; only services commit."""
