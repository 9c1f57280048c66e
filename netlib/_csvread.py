"""Finding and reading table files as exported by spreadsheets and CRMs, saying what was decided.

:func:`find_tables` maps the files of a folder to tables (names matched without case, documented aliases,
every other file listed as not read). :func:`read_file` reads one csv/tsv (plain or gzipped) or parquet
file: it detects the encoding (UTF-8, UTF-8 or UTF-16 with a byte-order mark, else cp1252/latin-1), the
delimiter (comma, semicolon, tab or pipe, from the header line) and decimal commas, keeps rows whose field
count differs from the header's out of the table with their row number and what was found, and raises the
block size for very large fields. Only empty cells are missing (plus ``na_values``).
"""

from __future__ import annotations

import csv
import gzip
import io as _io
import mmap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from netlib.errors import DataError

__all__ = ["ALIASES", "SUFFIXES", "RawTable", "find_tables", "read_file"]

SUFFIXES = (".parquet", ".pq", ".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")
#: File names (without suffix, any case) read as each table. Any other file is listed as not read.
ALIASES: dict[str, tuple[str, ...]] = {
    "customers": ("customers", "customer", "clients", "client", "users", "user"),
    "interactions": ("interactions", "interaction", "referrals", "referral", "messages", "message",
                     "shares", "share", "edges"),
    "events": ("events", "event", "activity", "activities", "actions"),
}
DELIMITERS = (",", ";", "\t", "|")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SAMPLE = 1 << 16
_BLOCK = 1 << 20  # pyarrow's default block size
_MAX_BLOCK = 1 << 30
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
#: Encodings in which a double quote is the byte 0x22 and no other character holds that byte.
_QUOTE_IS_0X22 = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "ascii")
ROW_COLUMN = "(row)"  # the column named for a row rejected as a whole


@dataclass
class RawTable:
    """One table as read, before validation."""

    frame: pd.DataFrame
    source: str
    rows: np.ndarray | None = None  # 1-based data-row number of each frame row, when rows were left out
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, text found, reason)
    decisions: list[str] = field(default_factory=list)
    from_file: bool = True
    na_done: bool = False  # cells equal to na_values already made missing by the reader

    @property
    def rows_in(self) -> int:
        return len(self.frame) + len(self.rejected)


def _split_name(name: str) -> tuple[str, str | None]:
    low = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if low.endswith(suffix):
            return low[: -len(suffix)], suffix
    stem, dot, ext = low.rpartition(".")
    return (stem, "." + ext) if dot else (low, None)


def find_tables(folder: Path) -> tuple[dict[str, Path], list[str], list[str]]:
    """Return ({table: file}, decisions, names of the entries not read)."""
    table_of = {alias: table for table, names in ALIASES.items() for alias in names}
    found: dict[str, list[Path]] = {}
    not_read: list[str] = []
    unsupported: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_dir():
            not_read.append(entry.name + "/")
            continue
        stem, suffix = _split_name(entry.name)
        table = table_of.get(stem.strip())
        if table and suffix in SUFFIXES:
            found.setdefault(table, []).append(entry)
        else:
            not_read.append(entry.name)
            if table:
                unsupported.append(f"{entry.name} looks like the {table} table but {suffix or 'no suffix'} is not "
                                   f"a format read here; save it as .csv or .parquet")
    decisions = []
    out = {}
    for table, paths in found.items():
        if len(paths) > 1:
            raise DataError(f"{folder}: more than one file for table {table!r}: {[p.name for p in paths]}; keep one, "
                            f"or pass a mapping such as {{{table!r}: path}} to read_data")
        path = out[table] = paths[0]
        stem = _split_name(path.name)[0]
        if stem != table or path.name != path.name.lower():
            how = "an alias of" if stem != table else "matched without case as"
            decisions.append(f"{table}: read {path.name} ({how} {table})")
    if not_read:
        decisions.append(f"files not read in {folder}: {', '.join(not_read)}")
    decisions += unsupported
    return out, decisions, not_read


# --------------------------------------------------------------------------------------------------
# csv and parquet
# --------------------------------------------------------------------------------------------------


def _open_bytes(path: Path, n: int | None = _SAMPLE) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            return fh.read() if n is None else fh.read(n)
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc


def _eight_bit(path: Path) -> str:
    """cp1252 (Windows' Western default) unless the file holds bytes cp1252 leaves undefined, then latin-1."""
    data = _open_bytes(path, None)
    return "latin-1" if any(b in data for b in (bytes([c]) for c in _CP1252_UNDEFINED)) else "cp1252"


def _utf8(data: bytes, whole: bool) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return not whole and exc.start >= len(data) - 3  # only a character cut by the sample's end
    return True


def _bom(sample: bytes) -> str | None:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def _sniff(text: str, default: str) -> tuple[str, str]:
    """Delimiter from the header line: the candidate seen most often outside quotes (ties: the default)."""
    header = text.splitlines()[0] if text else ""
    counts = {}
    for d in DELIMITERS:
        try:
            counts[d] = len(next(csv.reader([header], delimiter=d))) - 1
        except (csv.Error, StopIteration):
            counts[d] = 0
    best = max(counts.values())
    if best == 0:
        return default, "no delimiter in the header line: one column"
    tied = [d for d in DELIMITERS if counts[d] == best]
    choice = default if default in tied else tied[0]
    return choice, f"detected from the header line ({best + 1} columns)"


def _header(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(_io.StringIO(text), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def _decimal_comma(text: str, delimiter: str) -> str | None:
    """A sample value that shows decimal commas (``2,5``) when none shows decimal points, else None."""
    if delimiter == ",":
        return None
    comma = point = None
    for row in csv.reader(_io.StringIO(text), delimiter=delimiter):
        for cell in row:
            cell = cell.strip()
            head, sep, tail = cell.partition(",")
            if sep and head.lstrip("+-").isdigit() and tail.isdigit():
                comma = comma or cell
            h, s, t = cell.partition(".")
            if s and h.lstrip("+-").isdigit() and t.isdigit():
                point = point or cell
    return comma if comma and not point else None


def read_file(path: Path, text_columns: set[str], weight_column: str | None, *, encoding: str | None = None,
              delimiter: str | None = None, decimal: str | None = None,
              na_values: list[str] | None = None) -> RawTable:
    """Read one file; ``text_columns`` (file names) are read as strings, ``weight_column``'s empty cells as 1."""
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        try:
            table = pq.read_table(path)
        except Exception as exc:  # pyarrow's errors for corrupt files vary by cause
            raise DataError(f"{path}: cannot read as parquet: {type(exc).__name__}: {exc}") from exc
        return RawTable(_to_pandas(table, weight_column), str(path), decisions=[])
    if not name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")):
        raise DataError(f"{path}: unknown format; expected one of {list(SUFFIXES)}")
    sample = _open_bytes(path)
    enc_note = ""
    if encoding is None:
        encoding = _bom(sample) or "utf-8"
        enc_note = " (detected)" if encoding != "utf-8" else ""
        if encoding == "utf-8" and not _utf8(sample, whole=len(sample) < _SAMPLE):
            encoding, enc_note = _eight_bit(path), " (detected: the file is not valid UTF-8)"
    elif encoding.lower().replace("_", "-") in ("utf-8", "utf8") and _bom(sample) == "utf-8-sig":
        encoding = "utf-8-sig"
    try:
        text = sample.decode(encoding, errors="replace")
    except LookupError as exc:
        raise DataError(f"{path}: unknown encoding {encoding!r}") from exc
    text = text.lstrip("\ufeff")
    if len(sample) == _SAMPLE and "\n" in text:  # drop a line cut by the sample's end
        text = text[: text.rindex("\n") + 1]
    default = "\t" if ".tsv" in name else ","
    if delimiter is None:
        delimiter, how = _sniff(text, default)
    else:
        how = "given"
    if decimal is None:
        example = _decimal_comma(text, delimiter)
        decimal, dec_note = ("," , f"decimal comma (detected from {example!r})") if example else (".", None)
    else:
        dec_note = f"decimal {'comma' if decimal == ',' else 'point'} (given)"
    header = [h.strip() for h in _header(text, delimiter)]
    attempt = 0
    while True:
        try:
            table, bad, block = _read_csv(path, header, text_columns, encoding, delimiter, decimal, na_values)
        except _NotUTF8:
            if attempt or enc_note or encoding not in ("utf-8",):
                raise DataError(f"{path}: the file is not valid {encoding}; pass encoding= (e.g. 'cp1252')") from None
            encoding = _eight_bit(path)
            enc_note = " (detected: the file is not valid UTF-8)"
            attempt += 1
            continue
        break
    decisions = [f"{path.name}: encoding {encoding}{enc_note}, delimiter {_NAMES.get(delimiter, repr(delimiter))} "
                 f"({how})" + (f", {dec_note}" if dec_note else "")]
    if block > _BLOCK:
        decisions.append(f"{path.name}: block size raised to {block >> 20} MB to hold a row longer than 1 MB")
    rows = None
    rejected = []
    if bad:
        numbers = sorted(bad)
        n_total = table.num_rows + len(numbers)
        rows = np.setdiff1d(np.arange(1, n_total + 1), numbers)
        for number in numbers:
            found, expected, got = bad[number]
            what = ("a line of spaces only" if not found.strip() and found else f"{got} field{'s' * (got != 1)}")
            rejected.append((number, found[:200], f"expected {expected} fields as in the header, found {what}"))
    return RawTable(_to_pandas(table, weight_column), str(path), rows, rejected, decisions, na_done=True)


class _NotUTF8(Exception):
    pass


def _may_quote(path: Path, encoding: str) -> bool:
    """False only when a plain file in an ASCII-compatible encoding holds no double quote at all.

    A line break can sit inside a value only between quotes, so such a file is parsed the same with
    pyarrow's ``newlines_in_values`` off, which reads it about a third faster.
    """
    if path.name.lower().endswith(".gz") or encoding.lower().replace("_", "-") not in _QUOTE_IS_0X22:
        return True
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return view.find(b'"') >= 0
    except (OSError, ValueError):  # an empty file cannot be mapped
        return True


def _read_csv(path, header, text_columns, encoding, delimiter, decimal, na_values):
    """pyarrow's reader with ragged rows set aside; returns (table, {data row: (text, expected, found)}, block)."""
    block = _BLOCK
    quoted = _may_quote(path, encoding)
    while True:
        bad: list = []

        def handler(row, bad=bad):
            bad.append(row)
            return "skip"

        def read(threads: bool):
            return pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(encoding=encoding, block_size=block, use_threads=threads),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                                 newlines_in_values=quoted, invalid_row_handler=handler),
                convert_options=pacsv.ConvertOptions(  # large_string: pandas' own storage, so no cast after
                    column_types={c: pyarrow.large_string() for c in header if c in text_columns},
                    null_values=[""] + list(na_values or []), strings_can_be_null=True, decimal_point=decimal,
                    true_values=["true", "True", "TRUE"], false_values=["false", "False", "FALSE"]),
            )

        try:
            table = read(True)
            if bad:  # row numbers are known only to a single-threaded read
                bad.clear()
                table = read(False)
        except pyarrow.ArrowInvalid as exc:
            message = str(exc)
            if "straddling" in message and block < _MAX_BLOCK:
                block *= 16
                continue
            if "straddling" in message:
                raise DataError(f"{path}: a row is longer than {_MAX_BLOCK >> 20} MB, more than netlib reads; "
                                f"split the field or drop it") from exc
            if "UTF8" in message or "UTF-8" in message or (
                    encoding == "utf-8" and not _utf8(_open_bytes(path, None), whole=True)):
                raise _NotUTF8() from exc
            raise DataError(f"{path}: cannot read: {message}") from exc
        except (OSError, EOFError, UnicodeError) as exc:
            raise DataError(f"{path}: cannot read: {type(exc).__name__}: {exc}") from exc
        if any(pyarrow.types.is_binary(t) or pyarrow.types.is_large_binary(t) for t in table.schema.types):
            raise _NotUTF8()
        return table, {r.number - 1: (r.text, r.expected_columns, r.actual_columns) for r in bad}, block


def _to_pandas(table: pyarrow.Table, weight_column: str | None) -> pd.DataFrame:
    names = [str(c).strip() for c in table.column_names]
    if weight_column in names:  # an empty weight cell is weight 1; a written NaN stays NaN (and is rejected)
        i = names.index(weight_column)
        col = table.column(i)
        if pyarrow.types.is_floating(col.type) or pyarrow.types.is_integer(col.type):
            table = table.set_column(i, pyarrow.field(table.field(i).name, pyarrow.float64()),
                                     pc.fill_null(pc.cast(col, pyarrow.float64()), 1.0))
    return table.to_pandas()
