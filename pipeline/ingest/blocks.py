"""Building one content string with block offsets, shared by every reader."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pipeline.models import Block, BlockKind

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")


def clean_text(text: str) -> str:
    """Collapse runs of spaces inside lines, drop control characters, trim lines."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ContentBuilder:
    """Appends blocks to one content string, separated by blank lines."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0

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
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        block = Block(kind=kind, start=start, end=self.length, text=text, page=page, part=part, rows=rows)
        self.blocks.append(block)
        return block

    @property
    def content(self) -> str:
        return "".join(self.parts)
