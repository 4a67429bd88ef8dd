"""The root of every error this project raises on purpose.

Each layer raises its own subclasses (knowledge here, bot/ and adapters/ theirs); every one says
which exit code a `faqbot` command ends with and how the command line introduces it, so the
command line catches them in one place::

    FaqbotError
    ├── CorpusError, ModelError, LabelledSetError, ImportBlocked, DocumentError   (knowledge/)
    ├── Refused                                                                    (bot/)
    └── SettingsError, StoreError, StoreUnavailable, PackageError, ReloadRequestError,
        TokenRejected, SigningKeysUnavailable, NotYet, GiveUp, CannotListen,
        ConnectorRefused, ConnectorUnreachable                                     (adapters/)

Here because knowledge/ imports nothing of ours: the root must live in the innermost layer.
"""

from __future__ import annotations

from typing import ClassVar


class FaqbotError(Exception):
    """An expected failure with a clear cause (never a bug); the message says what to fix."""

    exit_code: ClassVar[int] = 1
    """What a `faqbot` command returns when it stops on this error."""
    summary: ClassVar[str] = "failed"
    """How the command line introduces the message, e.g. 'the corpus cannot be served'."""
