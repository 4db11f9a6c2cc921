"""Building one content string with block offsets, shared by every reader."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from pipeline.models import Block, BlockKind

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")


def clean_text(text: str) -> str:
    """Collapse runs of spaces inside lines, drop control characters, trim lines."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


# A Block without validation, for readers whose values are known to be valid
# (half the cost of Block(...)): what pydantic's constructor would store.
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_BLOCK_FIELDS = frozenset({"kind", "start", "end", "text", "page", "part", "rows"})
_BLOCK_VALUES = {"kind": None, "start": 0, "end": 0, "text": "", "page": None, "part": None, "rows": None, "lang": None}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ContentBuilder:
    """Appends blocks to one content string, separated by blank lines."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0
    # Consecutive boilerplate texts as one block (a web page's chrome is hundreds of menu
    # items; one block each only cost time and output size). The content is the same.
    merge_chrome: bool = False
    _run: int = -1  # while a chrome block is open for more texts: where its text starts in `parts`

    def cut(self) -> None:
        """End the open chrome block: the next boilerplate text starts a new one."""
        if self._run >= 0:
            self.blocks[-1].text = "".join(self.parts[self._run:])
            self._run = -1

    def position(self) -> int:
        """The count of blocks so far, as a place in the block order: the open chrome block
        is ended, so blocks added after this place are counted after it."""
        self.cut()
        return len(self.blocks)

    def add(
        self,
        kind: BlockKind,
        text: str,
        *,
        page: int | None = None,
        part: str | None = None,
        rows: list[list[str]] | None = None,
        clean: bool = True,
    ) -> Block | None:
        if clean:
            text = clean_text(text)
        if not text:
            return None
        if self.merge_chrome and kind == "boilerplate" and rows is None and page is None:
            return self.append(kind, text, part)
        self.cut()
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        block = Block(kind=kind, start=start, end=self.length, text=text, page=page, part=part, rows=rows)
        self.blocks.append(block)
        return block

    def append(self, kind: BlockKind, text: str, part: str | None) -> Block:
        """`add(kind, text, part=part, clean=False)` for a non-empty text and a
        kind from the reader's own code: the block is built without validation."""
        self.extend(kind, (text,), part)
        return self.blocks[-1]

    def extend(self, kind: BlockKind, texts: list[str], part: str | None) -> None:
        """`append` for each of several non-empty texts, in one loop."""
        if not (self.merge_chrome and kind == "boilerplate"):
            self.cut()
            self._new_blocks(kind, texts, part)
            return
        if not texts:
            return
        if self._run >= 0 and self.blocks[-1].part != part:
            self.cut()
        if self._run < 0:
            self._new_blocks(kind, texts[:1], part)
            self._run = len(self.parts) - 1
            texts = texts[1:]
        parts, length = self.parts, self.length
        for text in texts:
            parts.append("\n\n")
            parts.append(text)
            length += 2 + len(text)
        self.length = length
        self.blocks[-1].end = length

    def _new_blocks(self, kind: BlockKind, texts: list[str], part: str | None) -> None:
        parts, blocks, length = self.parts, self.blocks, self.length
        values, fields = _BLOCK_VALUES, _BLOCK_FIELDS
        for text in texts:
            if parts:
                parts.append("\n\n")
                length += 2
            parts.append(text)
            end = length + len(text)
            v = values.copy()
            v["kind"] = kind
            v["start"] = length
            v["end"] = end
            v["text"] = text
            v["part"] = part
            block = _new(Block)
            _set_dict(block, v)
            _set_fields(block, set(fields))
            _set_extra(block, None)
            _set_private(block, None)
            blocks.append(block)
            length = end
        self.length = length

    @property
    def content(self) -> str:
        self.cut()
        return "".join(self.parts)
