"""Arrow arrays from Python and numpy values, and numpy arrays from Arrow columns, through their buffers.

pyarrow's own converters (``pa.array``, ``pa.scalar``, a Python value given to a compute function,
``to_numpy``) first import pandas, to recognise pandas objects, and that import takes longer (about 0.2 s)
than scoring the shipped release. The columns the scorers read and the arrays they build are of a few plain
types, which these functions copy buffer to buffer: the values are the same as pyarrow's converters give.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

# Arrow's fixed-width number types and the numpy type of the same bytes.
_NUMBERS = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32, pa.int64(): np.int64,
            pa.uint8(): np.uint8, pa.uint16(): np.uint16, pa.uint32(): np.uint32, pa.uint64(): np.uint64,
            pa.float32(): np.float32, pa.float64(): np.float64}


def strings(values: Sequence[str]) -> pa.Array:
    """A string array of ``values`` (no nulls), as ``pa.array(values, type=pa.string())`` makes it."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(item) for item in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def booleans(mask: np.ndarray) -> pa.Array:
    """A boolean array of a numpy mask (no nulls), as ``pa.array(mask, type=pa.bool_())`` makes it."""
    bits = np.packbits(np.asarray(mask, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(bits)])


def numbers(column: pa.Array | pa.ChunkedArray, dtype: Any, null: float | int) -> np.ndarray:
    """The values of a number column as a numpy array of ``dtype``, ``null`` where the column has none."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    parts = [_chunk_numbers(chunk, dtype, null) for chunk in chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _chunk_numbers(chunk: pa.Array, dtype: Any, null: float | int) -> np.ndarray:
    if len(chunk) == 0 or chunk.null_count == len(chunk):
        return np.full(len(chunk), null, dtype=dtype)
    if chunk.type not in _NUMBERS:
        raise TypeError(f"not a column of numbers: {chunk.type}")
    validity, data = chunk.buffers()[:2]
    values = np.frombuffer(data, dtype=_NUMBERS[chunk.type], count=len(chunk),
                           offset=chunk.offset * np.dtype(_NUMBERS[chunk.type]).itemsize).astype(dtype)
    if chunk.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        values[~bits[chunk.offset:chunk.offset + len(chunk)].astype(bool)] = null
    return values
