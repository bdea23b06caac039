"""Opening zip archives that people upload (brat corpora, project exports, .docx) safely.

Everything is checked from the zip's central directory BEFORE any member is inflated:
the number of entries, the total and per-member unpacked size as declared, encryption and
the compression method. Reading a member never yields more than its declared size
(``zipfile`` stops there and then fails the CRC check), so a zip that lies about its sizes
is refused too. Every refusal is an ``ArchiveError`` (a ``FormatError``) whose message names
the archive and the member, and the limit when a limit was hit.

Entries that tools add behind the user's back are skipped and listed in ``skipped``: macOS
resource forks (``__MACOSX/``, ``._name``), ``.DS_Store``, ``Thumbs.db``, ``desktop.ini`` and
any other hidden entry (a path part starting with a dot). Folders are not members.

    archive = open_zip(data, what="corpus.zip")          # ArchiveError if anything is wrong
    for member in archive.members:                        # regular, visible files only
        data = archive.read(member.name)                  # ArchiveError naming the member
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field

from annotations.formats.base import FormatError

MAX_MEMBERS = 10_000  # entries in the central directory, hidden ones included
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all visible members together, as declared
READABLE_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "deflate64", 98: "PPMd"}
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "icon\r"}


class ArchiveError(FormatError):
    """A zip that is not one, breaks a limit, or has a member that cannot be read."""


@dataclass(frozen=True)
class Member:
    name: str  # the path inside the zip, with "/" separators
    size: int  # unpacked, as declared by the zip

    @property
    def base_name(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclass
class SafeZip:
    what: str
    members: list[Member]
    skipped: list[str] = field(default_factory=list)
    _zip: zipfile.ZipFile | None = None

    def names(self) -> list[str]:
        return [member.name for member in self.members]

    def read(self, name: str) -> bytes:
        """The member's bytes; ArchiveError naming it if it is corrupt."""
        try:
            return self._zip.read(name)
        except KeyError:
            raise ArchiveError(f"{self.what} has no member {name!r}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise ArchiveError(
                f"{name} inside {self.what} is damaged and cannot be unpacked ({error}); "
                "make the zip again from the original files"
            ) from None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_zip(data: bytes) -> bool:
    """True for bytes that start like a zip (a local header or an empty archive)."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def is_hidden(name: str) -> bool:
    """Entries that operating systems and editors leave in archives: never the user's data."""
    parts = [part for part in name.replace("\\", "/").split("/") if part]
    if not parts:
        return True
    if any(part == "__MACOSX" or part.startswith(".") for part in parts):
        return True
    return parts[-1].lower() in _JUNK_NAMES or parts[-1].startswith("~$")


def open_zip(
    data: bytes,
    *,
    what: str = "the zip",
    max_members: int = MAX_MEMBERS,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_member_bytes: int | None = None,
) -> SafeZip:
    """Check ``data`` as a zip and return its visible members, refusing before inflating anything.

    Raises ArchiveError: not a zip; more than ``max_members`` entries; visible members that
    declare more than ``max_unpacked_bytes`` together (or one over ``max_member_bytes``); an
    encrypted member; a compression method other than stored or deflated (LZMA, bzip2...).
    """
    declared = declared_entries(data)
    if declared is not None and declared > max_members:  # before zipfile reads a huge central directory
        raise ArchiveError(f"{what} has {declared:,} entries; the limit is {max_members:,}: split it into several zips")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ArchiveError(f"{what} is not a zip file (or it is cut off)") from None
    try:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise ArchiveError(
                f"{what} has {len(infos):,} entries; the limit is {max_members:,}: split it into several zips"
            )
        members, skipped, total = [], [], 0
        for info in infos:
            if info.is_dir():
                continue
            if is_hidden(info.filename):
                skipped.append(info.filename)
                continue
            if info.flag_bits & 0x1:
                raise ArchiveError(f"{info.filename} inside {what} is encrypted; make the zip without a password")
            if info.compress_type not in READABLE_METHODS:
                method = METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
                raise ArchiveError(
                    f"{info.filename} inside {what} is compressed with {method}, which argmap does not unpack; "
                    "make the zip with ordinary (deflate) compression"
                )
            if max_member_bytes is not None and info.file_size > max_member_bytes:
                raise ArchiveError(
                    f"{info.filename} inside {what} unpacks to {_megabytes(info.file_size)}; "
                    f"the limit for one file is {_megabytes(max_member_bytes)}"
                )
            total += info.file_size
            if total > max_unpacked_bytes:
                raise ArchiveError(
                    f"{what} unpacks to more than {_megabytes(max_unpacked_bytes)} (the limit); "
                    "split it into several zips"
                )
            members.append(Member(name=info.filename, size=info.file_size))
    except ArchiveError:
        archive.close()
        raise
    return SafeZip(what=what, members=members, skipped=skipped, _zip=archive)


def declared_entries(data: bytes) -> int | None:
    """The number of entries the zip's end-of-central-directory record declares (zip64 too), or None."""
    tail_start = max(0, len(data) - 22 - 65_535)
    end = data.rfind(b"PK\x05\x06", tail_start)
    if end < 0 or end + 22 > len(data):
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    if count != 0xFFFF:
        return count
    locator = end - 20  # zip64: the locator sits just before, pointing at the zip64 record
    if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
        return None
    record = int.from_bytes(data[locator + 8 : locator + 16], "little")
    if data[record : record + 4] != b"PK\x06\x06":
        return None
    return int.from_bytes(data[record + 32 : record + 40], "little")


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:,.0f} MB" if size >= 1_048_576 else f"{size:,} bytes"


def zip_members(data: bytes, *, what: str, suffixes: tuple[str, ...], options=None) -> list[tuple[str, bytes]]:
    """(name, bytes) of the visible members of the zip ``data`` whose names end with one of
    ``suffixes`` (lower case), in name order, within the import's limits (``ImportOptions``); an
    ArchiveError when there is none (a doccano or AIFdb export zip holding no such file)."""
    limits = {"max_members": options.max_members, "max_unpacked_bytes": options.max_unpacked_bytes} if options else {}
    with open_zip(data, what=what, **limits) as archive:
        wanted = sorted(member.name for member in archive.members if member.name.lower().endswith(suffixes))
        if not wanted:
            raise ArchiveError(f"{what} holds no {' or '.join(suffixes)} file")
        return [(name, archive.read(name)) for name in wanted]
