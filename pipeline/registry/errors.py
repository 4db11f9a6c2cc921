"""Errors of the registry stage, each naming what failed and why."""

from __future__ import annotations


class RegistryError(Exception):
    """The registry database could not be opened, read or written."""

    stage = "registry"


class NotFound(RegistryError):
    """No agreement or organisation has the id asked for."""
