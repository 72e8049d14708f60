"""Atomic file writes: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from nvo_nlp.errors import StoreError

#: Names of the files being written: hidden, so that pyarrow and pandas skip them.
TEMPORARY_PREFIX = ".tmp-"


def atomic_write(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary_path)`` in the target's folder, then rename the result over ``target``.

    The temporary file is hidden (``.tmp-*``), so pyarrow and pandas skip it while it exists,
    and it is removed when writing fails; the target is then untouched. A failure of the file
    system (disk full, no permission) is a one-line :class:`StoreError`.
    """
    target = Path(target)
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX, suffix=target.suffix)
        os.close(handle)
        write(Path(temporary))
        os.replace(temporary, target)
    except BaseException as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return target
