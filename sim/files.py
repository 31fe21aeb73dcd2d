"""Files written so that a reader never sees half of one: temporary file, fsync, rename.

The bottom of the package (the standard library, and pyarrow for tables): every layer
that writes a file uses these.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a half file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; results are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def parquet_table(frame, metadata: dict | None = None):
    """A pyarrow table of ``frame`` (no index) with ``metadata`` as JSON under the key ``escalation``."""
    import pyarrow as pa
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"escalation": json.dumps(metadata).encode()})
    return table


def atomic_write_parquet(path: Path, frame, metadata: dict | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    sink = pa.BufferOutputStream()
    pq.write_table(parquet_table(frame, metadata), sink)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
