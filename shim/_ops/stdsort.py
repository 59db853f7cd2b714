"""libstdc++'s std::sort (introsort), which torch's CPU sort calls when it is not asked to be stable.

std::sort is not stable: past 16 elements the order it leaves equal keys in (equal values, 0.0 and -0.0,
several NaNs) follows its partitions, and torch's indices with it.  Where a row holds no equal keys every
sort agrees and numpy's is used; otherwise this module replays the algorithm step for step on
(key, index) pairs, with torch's comparators (NaN above every number).  It is the GCC 12 implementation:
_S_threshold = 16, median-of-three pivots, unguarded partitioning, heapsort past 2 log2(n) levels, and a
final insertion sort; and std::nth_element (introselect) and std::partial_sort (a heap), which topk calls.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "std_sort_order",
    "std_topk_order",
    "nth_element_zero",
    "has_ties",
    "rows_with_ties",
    "quick_select_index",
    "INSERTION_THRESHOLD",
]

INSERTION_THRESHOLD = 16  # std::sort's _S_threshold: ranges of at most this many are insertion-sorted


def has_ties(row: np.ndarray) -> bool:
    """Whether sorting the row can leave equal keys in more than one order."""
    return bool(rows_with_ties(row[None])[0])


def rows_with_ties(rows: np.ndarray) -> np.ndarray:
    """has_ties of each row of a 2-d array, at once: equal neighbours once sorted (0.0 and -0.0 among them),
    or more than one NaN (numpy sorts NaNs last, and no NaN equals its neighbour)."""
    ordered = np.sort(rows, axis=-1)
    ties = np.any(ordered[:, 1:] == ordered[:, :-1], axis=-1)
    if rows.dtype.kind in "fc":
        ties |= np.count_nonzero(np.isnan(rows), axis=-1) > 1
    return ties


def std_sort_order(row: np.ndarray, descending: bool, plain: bool = False) -> np.ndarray:
    """The permutation std::sort leaves a row's indices in, under torch's key-value comparator (or, `plain`,
    under `a < b` alone, which no NaN satisfies: mode's comparator)."""
    items = list(range(len(row)))
    _sort(items, 0, len(items), _comparator(row, descending, plain))
    return np.array(items, np.int64)


def std_topk_order(row: np.ndarray, k: int, largest: bool, sorted: bool) -> np.ndarray:
    """The indices torch's topk_impl_loop (aten/src/ATen/native/TopKImpl.h) reports: std::partial_sort where
    k * 64 <= n, else std::nth_element at k - 1 and, if sorted, std::sort of the k - 1 before it."""
    n = len(row)
    items = list(range(n))
    less = _comparator(row, largest)
    if k == 0:
        return np.zeros(0, np.int64)
    if k * 64 <= n:
        _heap_select(items, 0, k, n, less)
        _sort_heap(items, 0, k, less)
    else:
        _introselect(items, 0, k - 1, n, 2 * _lg(n), less)
        if sorted:
            _sort(items, 0, k - 1, less)
    return np.array(items[:k], np.int64)


def nth_element_zero(flat: np.ndarray, k: int):
    """The element std::nth_element leaves at k under `a < b`, NaN last (median's and nanmedian's selection
    over all elements), for a median that is a zero: which of 0.0 and -0.0 lands there."""
    keys = flat.tolist()
    items = list(range(len(keys)))

    def less(a, b):
        ka, kb = keys[a], keys[b]
        return ka < kb or (kb != kb and ka == ka)

    if len(items) > 1:
        _introselect(items, 0, k, len(items), 2 * _lg(len(items)), less)
    return flat[items[k]]


def _comparator(row: np.ndarray, descending: bool, plain: bool = False):
    """torch's key-value comparators over indices into the row: NaN above every number."""
    keys = row.tolist()
    floating = row.dtype.kind in "fc" and not plain
    if descending:
        if floating:

            def less(a, b):  # KeyValueCompDesc: NaN first, then larger
                ka, kb = keys[a], keys[b]
                return (ka != ka and kb == kb) or ka > kb
        else:

            def less(a, b):
                return keys[a] > keys[b]
    elif floating:

        def less(a, b):  # KeyValueCompAsc: NaN last, then smaller
            ka, kb = keys[a], keys[b]
            return (ka == ka and kb != kb) or ka < kb
    else:

        def less(a, b):
            return keys[a] < keys[b]

    return less


def _lg(n: int) -> int:
    return n.bit_length() - 1


def _sort(a, first, last, less) -> None:
    if last - first > 1:
        _introsort_loop(a, first, last, 2 * _lg(last - first), less)
        _final_insertion_sort(a, first, last, less)


def _introselect(a, first, nth, last, depth, less) -> None:
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last, less)
            a[first], a[nth] = a[nth], a[first]  # the nth element into its final place
            return
        depth -= 1
        cut = _unguarded_partition_pivot(a, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last, less)


def _introsort_loop(a, first, last, depth, less) -> None:
    while last - first > INSERTION_THRESHOLD:
        if depth == 0:
            _heap_sort(a, first, last, less)
            return
        depth -= 1
        cut = _unguarded_partition_pivot(a, first, last, less)
        _introsort_loop(a, cut, last, depth, less)
        last = cut


def _unguarded_partition_pivot(a, first, last, less) -> int:
    mid = first + (last - first) // 2
    _move_median_to_first(a, first, first + 1, mid, last - 1, less)
    return _unguarded_partition(a, first + 1, last, first, less)


def _move_median_to_first(a, result, x, y, z, less) -> None:
    if less(a[x], a[y]):
        if less(a[y], a[z]):
            pick = y
        elif less(a[x], a[z]):
            pick = z
        else:
            pick = x
    elif less(a[x], a[z]):
        pick = x
    elif less(a[y], a[z]):
        pick = z
    else:
        pick = y
    a[result], a[pick] = a[pick], a[result]


def _unguarded_partition(a, first, last, pivot, less) -> int:
    while True:
        while less(a[first], a[pivot]):
            first += 1
        last -= 1
        while less(a[pivot], a[last]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _final_insertion_sort(a, first, last, less) -> None:
    if last - first > INSERTION_THRESHOLD:
        _insertion_sort(a, first, first + INSERTION_THRESHOLD, less)
        for i in range(first + INSERTION_THRESHOLD, last):
            _unguarded_linear_insert(a, i, less)
    else:
        _insertion_sort(a, first, last, less)


def _insertion_sort(a, first, last, less) -> None:
    for i in range(first + 1, last):
        value = a[i]
        if less(value, a[first]):
            a[first + 1 : i + 1] = a[first:i]
            a[first] = value
        else:
            _unguarded_linear_insert(a, i, less)


def _unguarded_linear_insert(a, last, less) -> None:
    value = a[last]
    j = last - 1
    while less(value, a[j]):
        a[last] = a[j]
        last = j
        j -= 1
    a[last] = value


# -- heaps (std::__heap_select, std::__sort_heap; heapsort is both over the whole range) -----------------------
def _heap_sort(a, first, last, less) -> None:
    _heap_select(a, first, last, last, less)
    _sort_heap(a, first, last, less)


def _heap_select(a, first, middle, last, less) -> None:
    n = middle - first
    if n >= 2:  # make_heap
        parent = (n - 2) // 2
        while True:
            _adjust_heap(a, first, parent, n, a[first + parent], less)
            if parent == 0:
                break
            parent -= 1
    for i in range(middle, last):
        if less(a[i], a[first]):  # pop_heap(first, middle, i)
            value = a[i]
            a[i] = a[first]
            _adjust_heap(a, first, 0, n, value, less)


def _sort_heap(a, first, last, less) -> None:
    while last - first > 1:
        last -= 1
        value = a[last]
        a[last] = a[first]
        _adjust_heap(a, first, 0, last - first, value, less)


def _adjust_heap(a, first, hole, length, value, less) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if less(a[first + child], a[first + child - 1]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and less(a[first + parent], value):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = value


def quick_select_index(row: np.ndarray, k: int) -> int:
    """The index torch's kthvalue reports: its quick_select_template (aten/src/ATen/native/SortingUtils.h,
    median-of-three partitioning on (value, index) pairs, NaN above every number) leaves the k-th smallest
    at position k; among equal values which one lands there follows its swaps."""
    keys = row.tolist()
    idx = list(range(len(keys)))

    def gt_or_nan(x, y):
        return (x != x and y == y) or x > y

    def swap(i, j):
        keys[i], keys[j] = keys[j], keys[i]
        idx[i], idx[j] = idx[j], idx[i]

    left, right = 0, len(keys) - 1
    while True:
        if right <= left:
            return idx[k]
        if right == left + 1:
            if gt_or_nan(keys[left], keys[right]):
                swap(left, right)
            return idx[k]
        mid = left + (right - left) // 2
        swap(mid, left + 1)
        if gt_or_nan(keys[left + 1], keys[right]):
            swap(left + 1, right)
        if gt_or_nan(keys[left], keys[right]):
            swap(left, right)
        if gt_or_nan(keys[left + 1], keys[left]):
            swap(left + 1, left)
        i, j, pivot = left + 1, right, keys[left]
        while True:
            i += 1
            while gt_or_nan(pivot, keys[i]):
                i += 1
            j -= 1
            while gt_or_nan(keys[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(left, j)
        if j <= k:
            left = i
        if j >= k:
            right = j - 1
