"""spaCy's tokenizer with its chunk cache actually filled.

spaCy caches how each whitespace-separated chunk splits, but within one call it
stops saving to that cache after the first chunk that hits a special case
("f.eks.", "kl.", "t.ex."; spaCy issue #1250), so in running text most chunks are
split afresh by the affix regexes every time. Before the real call, the chunks
not seen before are tokenized once together, leaving out those that would hit a
special case, so they all land in the cache. The tokens are the tokenizer's
own either way; only which chunks come from its cache changes.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


class PrimedTokenizer:
    """Wraps a spaCy `Tokenizer`; call it like one."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self._special = set(tokenizer.rules or ())
        self._seen: set[str] = set()
        # spaCy stops caching at this many chunks; priming past it does nothing.
        self._limit = getattr(tokenizer, "max_cache_size", 10_000)

    def __call__(self, text: str) -> Doc:
        if len(self._seen) < self._limit:
            new = [c for c in set(text.split()) if c not in self._seen]
            if new:
                self._seen.update(new)
                plain = [c for c in new if not self.hits_special(c)]
                if plain:
                    self.tokenizer(" ".join(plain))
        return self.tokenizer(text)

    def hits_special(self, chunk: str) -> bool:
        """Could stripping prefixes and suffixes off `chunk` reach a special case? (A wrong
        answer costs only speed: a special hit while priming just stops that call's caching.)"""
        lead, _, trail = _EDGES.match(chunk).groups()
        n = len(chunk)
        return any(chunk[i:n - j] in self._special for i in range(len(lead) + 1) for j in range(len(trail) + 1))

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)
