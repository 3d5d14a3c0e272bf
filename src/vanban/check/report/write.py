"""Atomic writes that never overwrite without being told to (shared with the rest of vanban)."""

from ...outfiles import write_atomic

__all__ = ["write_atomic"]
