"""Agreement registry pipeline: documents in, normalised agreement facts out."""

__version__ = "0.1.0"
