"""Agreement registry pipeline: documents in, normalised agreement facts out."""

__version__ = "0.1.0"

# Entries a per-word cache (language n-grams, organisation triggers, name tests, municipality
# look-ups) holds before it is emptied: pages bring new names all the time, so a small bound is
# reached early in a long run and a worker's memory then stays flat.
WORD_CACHE_ENTRIES = 20_000
