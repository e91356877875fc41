"""Reading the ``fit`` command's data: a numeric CSV file with a header row, plain or gzip, bz2
or xz-compressed (recognized by its first bytes), its separator given or detected.

:func:`read_table` returns a :class:`Table` or raises :class:`CSVError` with a message naming the
file, line and column; the reader is bounded (``MAX_LINE_CHARS``) so a binary file or one without
newlines is refused rather than read as one unbounded line. numpy is imported inside
:func:`read_table`, so importing this module stays light.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["read_table", "read_csv", "Table", "CSVError", "MAX_LINE_CHARS", "SEPARATORS"]


class CSVError(ValueError):
    """A CSV file the ``fit`` command cannot use; the message says why and where."""


#: Longest line (in characters, newline included) the ``fit`` command reads. A file without
#: newlines (``/dev/zero``, a binary dump) would otherwise be read as one unbounded line.
MAX_LINE_CHARS = 1 << 24
#: Separators the ``fit`` command detects when ``--sep`` is not given (csv.Sniffer on the first
#: lines); a file it cannot decide on is read with ",".
SEPARATORS = ",;\t|"
SNIFF_LINES, SNIFF_CHARS = 50, 1 << 16


class Table(NamedTuple):
    """A CSV file read by :func:`read_table`.

    ``X`` (n, p) float64 features, ``y`` (n,) the target, ``feature_names`` (p names in file
    order), ``excluded`` the names dropped by ``exclude``, ``sep`` the separator used (given or
    detected), ``sniffed`` whether it was detected, ``compression`` None, "gzip", "bz2" or "xz".
    """

    X: object
    y: object
    feature_names: list
    excluded: list
    sep: str
    sniffed: bool
    compression: object


def _lzma_error():
    try:
        from lzma import LZMAError
    except ImportError:  # a Python built without lzma
        return ()
    return (LZMAError,)


def _decompressed(raw):
    """``raw`` (a buffered binary file), decompressed when its first bytes are the magic number
    of gzip, bz2 or xz; and the compression's name (or None). Closing the result leaves ``raw``
    open."""
    head = raw.peek(8)[:8]
    if head.startswith(b"\x1f\x8b"):
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb"), "gzip"
    if head.startswith(b"BZh"):
        import bz2

        return bz2.BZ2File(raw, "rb"), "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        import lzma

        return lzma.LZMAFile(raw, "rb"), "xz"
    return raw, None


def _text_lines(stream, name):
    """The lines of a binary stream decoded as UTF-8 (a byte order mark dropped; ``\\n``,
    ``\\r\\n`` and ``\\r`` end a line), each at most MAX_LINE_CHARS long and free of NUL."""
    import io

    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    number = 0
    while True:
        try:
            line = text.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError:
            raise CSVError(f"cannot read {name}: it is not a UTF-8 text file") from None
        if not line:
            return
        number += 1
        if "\x00" in line:
            raise CSVError(f"{name}, line {number}: contains a NUL byte: it is a binary file, "
                           "not CSV text")
        if len(line) > MAX_LINE_CHARS:
            raise CSVError(f"{name}, line {number}: longer than {MAX_LINE_CHARS:,} characters, "
                           "the longest line the fit command reads; is it a CSV text file?")
        yield line


def _sniff_separator(lines):
    """The separator of the first lines of a file (one of SEPARATORS), or None."""
    import csv

    sample = ""
    for line in lines:  # whole lines, about SNIFF_CHARS of them (csv.Sniffer scans each one
        if line.strip():  # for every ASCII character)
            sample += line
            if len(sample) >= SNIFF_CHARS:
                break
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        return None


def _sep_hint(sep):
    shown = "'\\t'" if sep == "\t" else repr(sep)
    others = ", ".join("'\\t'" if s == "\t" else repr(s) for s in SEPARATORS if s != sep)
    return (f"split at {shown}, the header row is one column; if the file uses another "
            f"separator, name it with --sep (e.g. {others})")



def read_table(filename, target, sep=None, exclude=()):
    """Read a numeric CSV file with a header row for the ``fit`` command; return a :class:`Table`.

    The first row names the columns; every column except ``target`` and those named in
    ``exclude`` is a numeric feature (excluded columns may hold anything). Blank lines are
    skipped. A gzip, bz2 or xz file is decompressed (recognized by its first bytes). ``sep=None``
    detects the separator among ``,``, ``;``, tab and ``|`` from the first lines (``,`` when
    undecided). Raises :class:`CSVError` naming the problem by file, line and column name
    (missing or unreadable file, binary data, an overlong line, no header, no data, a row with
    the wrong number of fields, an empty or unparsable value, a non-numeric column, a missing
    target or excluded column).
    """
    import contextlib
    import csv
    import itertools
    import zlib

    import numpy as np

    name = repr(str(filename))
    compression = None
    try:
        with contextlib.ExitStack() as stack, open(filename, "rb") as raw:
            stream, compression = _decompressed(raw)
            stack.callback(stream.close)
            lines = _text_lines(stream, name)
            head = list(itertools.islice(lines, SNIFF_LINES))
            sniffed = sep is None
            if sniffed:
                sep = _sniff_separator(head) or ","
            reader = csv.reader(itertools.chain(head, lines), delimiter=sep)
            rows, numbers = [], []
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                rows.append(row)
                numbers.append(reader.line_num)
    except CSVError:
        raise
    except (OSError, EOFError, zlib.error, *_lzma_error()) as exc:
        how = f"read {name}" if compression is None else \
            f"decompress {name} ({compression})"
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise CSVError(f"cannot {how}: {detail}") from None
    except csv.Error as exc:
        raise CSVError(f"cannot parse {name} as CSV: {exc}") from None

    if not rows:
        raise CSVError(f"{name} is empty; a header row naming the columns is required")
    header = [h.strip() for h in rows[0]]
    for j, h in enumerate(header):
        if not h:
            after = f" (after {header[j - 1]!r})" if j else ""
            raise CSVError(f"{name}: column {j + 1} of the header row has no name{after}")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise CSVError(f"{name}: duplicate column names in the header: {', '.join(dupes)}")
    if target not in header:
        hint = f"; {_sep_hint(sep)}" if len(header) == 1 else ""
        raise CSVError(f"{name} has no column {target!r} (the --target); its columns are: "
                       + ", ".join(header) + hint)
    excluded = list(exclude)
    for col in excluded:
        if col == target:
            raise CSVError(f"--exclude {col!r} names the --target column")
        if col not in header:
            raise CSVError(f"{name} has no column {col!r} (given to --exclude); its columns "
                           "are: " + ", ".join(header))
    if len(header) < 2:
        raise CSVError(f"{name} has no feature columns besides the target {target!r}; "
                       f"{_sep_hint(sep)}")
    if len(header) - len(excluded) < 2:
        raise CSVError(f"{name} has no feature columns left besides the target {target!r} "
                       f"after --exclude {','.join(excluded)}")
    body, body_lines = rows[1:], numbers[1:]
    if not body:
        raise CSVError(f"{name} has a header row but no data rows")
    width = len(header)
    for row, line in zip(body, body_lines):
        if len(row) != width:
            what = (f"no value for column {header[len(row)]!r}" if len(row) < width else
                    f"a value after the last column {header[-1]!r}")
            raise CSVError(f"{name}, line {line}: {len(row)} fields, but the header has {width} "
                           f"({what})")

    used = [j for j, h in enumerate(header) if h not in excluded]
    values = np.empty((len(body), len(used)), dtype=np.float64)
    first_bad = {}  # column -> (line, text, reason)
    n_bad = dict.fromkeys(used, 0)
    for i, (row, line) in enumerate(zip(body, body_lines)):
        for c, j in enumerate(used):
            field = row[j].strip()
            try:
                value = float(field)
            except ValueError:
                value = None
            if value is None or not np.isfinite(value):
                n_bad[j] += 1
                if j not in first_bad:
                    reason = ("empty value (missing values are not supported)" if not field
                              else f"cannot parse {field!r} as a number" if value is None
                              else f"{field!r} is not a finite number")
                    first_bad[j] = (line, field, reason)
                value = np.nan
            values[i, c] = value
    for j in used:  # whole columns of text first: the likelier mistake
        if n_bad[j] == len(body) and first_bad[j][1]:
            kind = "target column" if header[j] == target else "column"
            hint = "" if header[j] == target else f" (or leave it out with --exclude {header[j]})"
            raise CSVError(f"{name}: {kind} {header[j]!r} is not numeric (line {first_bad[j][0]}: "
                           f"{first_bad[j][1]!r}); every column must hold numbers{hint}")
    if first_bad:
        j = min(first_bad, key=lambda c: (first_bad[c][0], c))
        line, _, reason = first_bad[j]
        raise CSVError(f"{name}, line {line}, column {header[j]!r}: {reason}")
    names = [header[j] for j in used]
    t = names.index(target)
    features = [h for h in names if h != target]
    X = np.ascontiguousarray(np.delete(values, t, axis=1))
    return Table(X=X, y=values[:, t].copy(), feature_names=features, excluded=excluded, sep=sep,
                 sniffed=sniffed, compression=compression)


def read_csv(filename, target, sep=","):
    """Read a numeric CSV file with a header row; return ``(X, y, feature_names)``.

    :func:`read_table` with a given separator (``sep=None`` detects it), without exclusions.
    """
    table = read_table(filename, target, sep=sep)
    return table.X, table.y, table.feature_names
