"""A square travel matrix that Python reads row by row and the compiled core borrows whole.

A region's day with every traveller's own address has thousands of locations: 3 000 trips
are 6 000 places, 36 million entries per matrix. As tuples of Python floats that is
1.1 GB per matrix before any planning, and the core copied it once more. `TravelMatrix`
keeps one read-only numpy array: 32-bit floats when every value is exact in them (whole
seconds and metres, as Samfard's days and the geo providers give), 64-bit otherwise (the
Cordeau instances' Euclidean distances), so the verifier and the core read the same
numbers either way. Its rows are memoryviews of that array, so `matrix[a][b]` is a Python
float (a lookup takes about twice as long as from a tuple) and every caller that indexed
the old tuples works unchanged; the engine takes `matrix.array` without a copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from samfard.errors import InputError

TravelArray = npt.NDArray[np.float32] | npt.NDArray[np.float64]
# What a matrix may be made from: rows of numbers, or a square numpy array of numbers.
MatrixInput = Sequence[Sequence[float]] | npt.NDArray[Any]


class TravelMatrix(tuple[Sequence[float], ...]):
    """Travel from location i (row) to j (column); validated once, never changed."""

    array: TravelArray

    def __new__(cls, values: object, *, name: str = "matrix") -> TravelMatrix:
        if isinstance(values, TravelMatrix):
            return values
        array = _checked_array(values, name)
        rows = cast(list[Sequence[float]], [memoryview(row) for row in array])
        self = super().__new__(cls, rows)
        self.array = array
        return self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TravelMatrix):
            return self.array.shape == other.array.shape and bool(
                np.array_equal(self.array, other.array)
            )
        if isinstance(other, tuple):
            try:
                return bool(np.array_equal(self.array, np.asarray(other, dtype=np.float64)))
            except ValueError:  # ragged
                return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.array.shape, self.array.tobytes()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (TravelMatrix, (self.array,))

    def __repr__(self) -> str:
        n = len(self)
        return f"TravelMatrix({n}x{n}, {self.array.dtype})"


def _checked_array(values: object, name: str) -> TravelArray:
    """`values` as a read-only, C-contiguous square array of finite numbers >= 0, in 32 bits
    when that loses nothing; an InputError naming the first entry that is not. A read-only
    float array is taken as it is, anything else copied."""
    array: TravelArray
    if isinstance(values, np.ndarray):
        if values.ndim != 2 or values.shape[0] != values.shape[1]:
            raise InputError(
                f"{name} matrix must be square (one row and column per location), "
                f"got shape {values.shape}",
                field=name,
            )
        if not np.issubdtype(values.dtype, np.number) or np.iscomplexobj(values):
            raise InputError(f"{name} matrix must hold numbers, got {values.dtype}", field=name)
        readonly = not values.flags.writeable and values.flags.c_contiguous
        if values.dtype in (np.float32, np.float64):
            array = values if readonly else np.array(values, order="C")
        else:
            array = np.array(values, dtype=np.float64, order="C")
    else:
        array = _from_rows(values, name)
    for first, block in _blocks(array):
        bad = ~np.isfinite(block) | (block < 0)
        if bad.any():
            i, j = (int(k) for k in np.argwhere(bad)[0])
            raise InputError(
                f"{name}[{first + i}][{j}] must be a finite number >= 0, got {float(block[i, j])}",
                field=name,
            )
    # A value beyond float32's range overflows to inf in the check and stays float64.
    with np.errstate(over="ignore"):
        exact = array.dtype == np.float64 and all(
            np.array_equal(block.astype(np.float32), block) for _, block in _blocks(array)
        )
    if exact:
        array = array.astype(np.float32)
    array.setflags(write=False)
    return array


def _blocks(array: TravelArray, rows: int = 512) -> Iterator[tuple[int, TravelArray]]:
    """The array's rows in blocks, so that checking a day's matrix needs no second one."""
    for first in range(0, array.shape[0], rows):
        yield first, array[first : first + rows]


def _from_rows(values: object, name: str) -> npt.NDArray[np.float64]:
    """Nested rows as a 64-bit array; an InputError naming the first row of another length
    or the first entry that is not a number."""
    if not isinstance(values, Sequence) or isinstance(values, str | bytes):
        raise InputError(f"{name} matrix must be a list of rows", field=name)
    n = len(values)
    for i, row in enumerate(values):
        if not isinstance(row, Sequence) or isinstance(row, str | bytes) or len(row) != n:
            got = len(row) if isinstance(row, Sequence) else type(row).__name__
            raise InputError(
                f"{name} matrix must be square with {n} rows and columns (one per "
                f"location): row {i} has {got} values",
                field=name,
            )
    try:
        return np.array(values, dtype=np.float64).reshape(n, n)
    except (TypeError, ValueError):
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise InputError(
                        f"{name}[{i}][{j}] must be a number, got {value!r}", field=name
                    ) from None
        raise
