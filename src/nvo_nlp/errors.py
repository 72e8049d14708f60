"""Exceptions raised by nvo-nlp.

Every error derives from :class:`NvoError`. Errors that may succeed when the
same operation is retried also derive from :class:`TransientError`; retry
policies (Prefect task retries, the fetch loop) key on that marker only, so a
malformed article is never retried and a timeout always is.

Tree::

    NvoError
    ├── InputError                 an input file or record cannot become an article
    │   ├── EmptyInputError        zero bytes, or no text after extraction
    │   ├── BinaryInputError       looks like a binary file (NUL bytes)
    │   ├── DecodeInputError       not valid UTF-8
    │   ├── MalformedInputError    bad JSON line, bad sidecar metadata, bad date
    │   ├── UnsupportedInputError  a file type the reader does not handle
    │   ├── TooLargeInputError     over a size or count cap (a sitemap that inflates past it)
    │   ├── UnsafeXmlError         XML declaring entities (expansion bombs, external files)
    │   └── PrivateAddressError    a URL whose host resolves to a non-public address
    ├── ConfigError                invalid argument or setting given by the user
    ├── ResourceError              a bundled resource (gazetteer, lexicon) is missing or broken
    └── StoreError                 the output directory cannot be read or written
    TransientError                 marker: retrying may succeed (mixed into I/O errors)
"""

from __future__ import annotations

__all__ = [
    "BinaryInputError",
    "ConfigError",
    "DecodeInputError",
    "EmptyInputError",
    "InputError",
    "MalformedInputError",
    "NvoError",
    "PrivateAddressError",
    "ResourceError",
    "StoreError",
    "TooLargeInputError",
    "TransientError",
    "UnsafeXmlError",
    "UnsupportedInputError",
    "is_transient",
]


class NvoError(Exception):
    """Base class of every error raised by nvo-nlp."""

    #: Short machine-readable name stored in error records (``errors.kind``).
    kind = "error"


class TransientError(NvoError):
    """Marker: the operation may succeed if retried (timeouts, 503, locked files)."""

    kind = "transient"


class InputError(NvoError):
    """An input cannot be turned into an article; the run records it and goes on."""

    kind = "input"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class EmptyInputError(InputError):
    kind = "empty"


class BinaryInputError(InputError):
    kind = "binary"


class DecodeInputError(InputError):
    kind = "decode"


class MalformedInputError(InputError):
    kind = "malformed"


class UnsupportedInputError(InputError):
    kind = "unsupported"


class TooLargeInputError(InputError):
    kind = "too_large"


class UnsafeXmlError(InputError):
    kind = "unsafe_xml"


class PrivateAddressError(InputError):
    """Refused before connecting: loopback, private, link-local... (see ``allow_private_hosts``)."""

    kind = "private_address"


class ConfigError(NvoError):
    kind = "config"


class ResourceError(NvoError):
    kind = "resource"


class StoreError(NvoError):
    kind = "store"


def is_transient(exc: BaseException) -> bool:
    """True when retrying the failed operation may succeed."""
    return isinstance(exc, TransientError)
