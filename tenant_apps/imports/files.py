"""Reading an uploaded import file safely: size and type checks, the CSV's encoding and
delimiter, and an XLSX's zip members checked for bombs before openpyxl opens it."""

import codecs
import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import ImportFileBroken, ImportFileEmpty, ImportFileEncoding, ImportFileTooLarge, ImportFileUnsafe, ImportFileUnsupported

MAX_FILE_BYTES = 50 * 1024 * 1024
# An XLSX (a zip) may unpack to at most this much, and no member more than RATIO times
# its compressed size: real spreadsheets compress 5-20x, bombs 1000x and more.
MAX_XLSX_UNPACKED = 300 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 2000
MAX_COLUMNS = 200
SAMPLE_BYTES = 256 * 1024

ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE", "cp1251": "Windows-1251",
}


@dataclass
class FileInfo:
    file_format: str  # csv | xlsx
    encoding: str = ""
    delimiter: str = ""

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)


def upload_size_check(size: int | None) -> None:
    """Refuse before reading: an empty file, or one over 50 MB (from the declared size)."""
    if size is None:
        return
    if size == 0:
        raise ImportFileEmpty()
    if size > MAX_FILE_BYTES:
        raise ImportFileTooLarge()


def _plausible_text(text: str, *, strict: bool = False) -> bool:
    """Text, not binary read with the wrong encoding: no control characters but tabs and
    line breaks; `strict`: also few symbols that a table of names would not have."""
    if not text:
        return True
    odd = 0
    for char in text:
        if char in "\t\r\n":
            continue
        category = unicodedata.category(char)
        if category[0] == "C":
            return False
        if strict and category in ("So", "Sk", "Lm", "Lo") and not ("\u0400" <= char <= "\u04ff"):
            odd += 1
    return odd <= max(2, len(text) // 200)


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4 and odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def csv_encoding_detect(sample: bytes, *, complete: bool) -> str:
    """The encoding of a CSV from its first bytes: a BOM, else UTF-8, UTF-16 without a
    BOM, else Windows-1251 (Bulgarian Excel's default) if that reads as text."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    utf16 = "utf-16" if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _utf16_without_bom(sample)
    if utf16:
        even = sample[: len(sample) - len(sample) % 2]
        try:
            text = even.decode(utf16) if complete else codecs.getincrementaldecoder(utf16)().decode(even)
        except UnicodeDecodeError as exc:
            raise ImportFileEncoding() from exc
        if not _plausible_text(text.lstrip("\ufeff")):
            raise ImportFileUnsupported()
        return utf16
    if b"\x00" in sample:
        raise ImportFileUnsupported()
    try:
        text = sample.decode("utf-8") if complete else codecs.getincrementaldecoder("utf-8")().decode(sample)
    except UnicodeDecodeError:
        pass
    else:
        if _plausible_text(text):
            return "utf-8"
        raise ImportFileUnsupported()
    try:
        text = sample.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise ImportFileEncoding() from exc
    letters = [c for c in text if ord(c) > 127]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if not _plausible_text(text, strict=True) or (letters and cyrillic < len(letters) * 0.8):
        raise ImportFileEncoding()
    return "cp1251"


def _xlsx_check(fileobj) -> None:
    """Declared and actual unpacked sizes and ratios of every zip member, read in
    bounded chunks, before openpyxl sees the file."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileBroken() from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise ImportFileUnsafe()
        if not any(m.filename == "xl/workbook.xml" for m in members):
            raise ImportFileUnsupported()
        declared = 0
        for member in members:
            declared += member.file_size
            if declared > MAX_XLSX_UNPACKED or member.file_size > max(member.compress_size, 1024) * MAX_XLSX_RATIO:
                raise ImportFileUnsafe()
        actual = 0
        for member in members:
            read = 0
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        read += len(chunk)
                        if read > member.file_size or read > max(member.compress_size, 1024) * MAX_XLSX_RATIO:
                            raise ImportFileUnsafe()
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise ImportFileBroken() from exc
            actual += read
            if actual > MAX_XLSX_UNPACKED:
                raise ImportFileUnsafe()
    fileobj.seek(0)


def file_inspect(fileobj, *, name: str) -> FileInfo:
    """What kind of file this is and how to read it; raises an ImportProblem subclass
    with the user's message for anything that is not a readable CSV or XLSX."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    upload_size_check(size)
    fileobj.seek(0)
    head = fileobj.read(SAMPLE_BYTES)
    fileobj.seek(0)
    if head.startswith(b"PK\x03\x04"):
        _xlsx_check(fileobj)
        return FileInfo("xlsx")
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"Rar!", b"7z")):
        raise ImportFileUnsupported()
    if name.lower().endswith((".xlsx", ".xls", ".xlsm", ".ods", ".pdf", ".doc", ".docx", ".zip")):
        raise ImportFileUnsupported()
    encoding = csv_encoding_detect(head, complete=size <= SAMPLE_BYTES)
    text = head.decode(encoding, errors="ignore")
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    return FileInfo("csv", encoding=encoding, delimiter=delimiter)


def _cell_text(value) -> str:
    import datetime

    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_read(fileobj, info: FileInfo, *, limit: int | None = None):
    """(row number, cells) for the file's rows, the header (row 1) first; cells are
    stripped strings; blank rows are left out but counted, so numbers match what a
    spreadsheet shows. Raises ImportFileBroken / ImportFileEncoding when unreadable."""
    if info.file_format == "xlsx":
        yield from _xlsx_rows(fileobj, limit)
        return
    stream = io.TextIOWrapper(fileobj, encoding=info.encoding, newline="", errors="strict")
    reader = csv.reader(stream, delimiter=info.delimiter or ",")
    count = 0
    try:
        for number, row in enumerate(reader, start=1):
            cells = [cell.strip() for cell in row[:MAX_COLUMNS]]  # stripped once, checked and kept
            if not any(cells) and not any(cell.strip() for cell in row[MAX_COLUMNS:]):
                continue
            yield number, cells
            count += 1
            if limit is not None and count >= limit:
                return
    except UnicodeDecodeError as exc:
        raise ImportFileEncoding(
            _("Part of the file is not %(encoding)s text. Save it as UTF-8 CSV and try again.")
            % {"encoding": ENCODING_LABELS.get(info.encoding, info.encoding)}
        ) from exc
    except csv.Error as exc:
        raise ImportFileBroken() from exc
    finally:
        stream.detach()


def _xlsx_rows(fileobj, limit):
    from openpyxl import load_workbook

    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise ImportFileBroken() from exc
    try:
        sheet = workbook.worksheets[0]
        count = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            row = [_cell_text(v).strip() for v in values]
            if not any(row):
                continue
            yield number, row
            count += 1
            if limit is not None and count >= limit:
                return
    except ImportFileBroken:
        raise
    except Exception as exc:
        raise ImportFileBroken() from exc
    finally:
        workbook.close()
