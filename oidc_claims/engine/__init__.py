"""The claim engine: compiled definitions per configuration version, resolve() and its trace."""
