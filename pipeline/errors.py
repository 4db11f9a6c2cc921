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


class LimitExceeded(IngestError):
    """The document is larger than a per-document limit of the run allows (bytes, pages, MIME parts, time).

    An ingest error (a container skips such an attachment or message with a warning),
    reported with its own stage."""

    stage = "limits"


class FileTooLarge(LimitExceeded):
    """More bytes than --max-bytes."""


class TooManyPages(LimitExceeded):
    """A PDF with more pages than --max-pages."""


class TooManyParts(LimitExceeded):
    """An email with more MIME parts than --max-parts."""


class Timeout(LimitExceeded):
    """Reading and extracting the document took longer than --timeout."""
