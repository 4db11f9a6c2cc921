"""Errors that name the file and the reason."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a document could not be processed."""

    stage = "pipeline"

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IngestError(PipelineError):
    """The file could not be read into a document."""

    stage = "ingest"


class UnsupportedFormat(IngestError):
    """The bytes are not HTML, email, PDF or text."""


class EmptyDocument(IngestError):
    """The file holds no bytes or no readable text."""


class EncryptedPDF(IngestError):
    """The PDF needs a password we do not have."""


class DamagedPDF(IngestError):
    """The PDF is truncated or corrupt beyond reading."""


class ExtractionError(PipelineError):
    """The document was read but its facts could not be extracted."""

    stage = "extract"
