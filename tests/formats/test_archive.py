"""Safe zip opening: hidden entries skipped, limits checked before inflating, bad members named."""
from __future__ import annotations

import io
import zipfile

import pytest

from annotations.formats.archive import ArchiveError, is_hidden, is_zip, open_zip

APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \xff\xfe\x80"  # not UTF-8, as the real ones


def make_zip(entries: dict[str, bytes], *, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def no_inflating(monkeypatch):
    """Call it once the zip is built: from then on, unpacking any member fails the test."""
    def forbid():
        def refuse(*args, **kwargs):
            raise AssertionError("a member was unpacked before the limits were checked")

        monkeypatch.setattr(zipfile.ZipFile, "open", refuse)

    return forbid


def test_hidden_entries_are_skipped_and_listed():
    """__MACOSX/ resource forks, ._ files, .DS_Store and dot-folders are not members."""
    data = make_zip({
        "corpus/essay01.txt": b"text", "corpus/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "__MACOSX/corpus/._essay01.txt": APPLE_DOUBLE, "corpus/._essay01.ann": APPLE_DOUBLE,
        ".git/config": b"x", "corpus/Thumbs.db": b"x",
    })
    with open_zip(data, what="corpus.zip") as archive:
        assert archive.names() == ["corpus/essay01.txt"]
        assert len(archive.skipped) == 5
        assert archive.read("corpus/essay01.txt") == b"text"


@pytest.mark.parametrize("name, hidden", [
    ("__MACOSX/a/._b.txt", True), ("a/._b.ann", True), ("a/.DS_Store", True), ("~$report.docx", True),
    ("a/b.txt", False), ("word/document.xml", False), ("a.b/c.txt", False),
])
def test_is_hidden(name, hidden):
    """Only entries that tools add behind the user's back count as hidden."""
    assert is_hidden(name) is hidden


def test_too_many_members_is_refused_before_reading(no_inflating):
    """The number of entries (hidden ones included) is checked first, naming the limit."""
    data = make_zip({f"f{i}.txt": b"" for i in range(30)})
    no_inflating()
    with pytest.raises(ArchiveError, match="big.zip has 30 entries; the limit is 20"):
        open_zip(data, what="big.zip", max_members=20)


def test_zip_bomb_is_refused_from_declared_sizes(no_inflating):
    """A member that declares more than the limit unpacked is refused without inflating it."""
    data = make_zip({"bomb.txt": b"\0" * 5_000_000})
    assert len(data) < 10_000
    no_inflating()
    with pytest.raises(ArchiveError, match=r"bomb.zip unpacks to more than 1 MB \(the limit\)"):
        open_zip(data, what="bomb.zip", max_unpacked_bytes=1_048_576)


def test_member_that_lies_about_its_size_is_refused_when_read():
    """zipfile stops at the declared size, so a forged small size fails the CRC check: named, not a 500."""
    data = bytearray(make_zip({"liar.txt": b"a" * 10_000}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("liar.txt")
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 24: directory + 28] = (100).to_bytes(4, "little")  # uncompressed size in the central directory
    with open_zip(bytes(data), what="liar.zip") as archive:
        assert info.file_size == 10_000
        with pytest.raises(ArchiveError, match="liar.txt inside liar.zip is damaged"):
            archive.read("liar.txt")


def test_encrypted_member_is_named():
    """A password-protected member is refused with its name."""
    data = bytearray(make_zip({"secret.ann": b"T1\tClaim 0 1\tx"}))
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 8] |= 0x1  # the "encrypted" general-purpose flag, as a password-protected zip sets it
    data[6] |= 0x1
    with pytest.raises(ArchiveError, match="secret.ann inside c.zip is encrypted"):
        open_zip(bytes(data), what="c.zip")


@pytest.mark.parametrize("method, name", [(zipfile.ZIP_LZMA, "LZMA"), (zipfile.ZIP_BZIP2, "bzip2")])
def test_lzma_and_bzip2_members_are_named(method, name):
    """Compression methods other than stored/deflated are refused with the member and the method."""
    data = make_zip({"essay.txt": b"some text"}, method=method)
    with pytest.raises(ArchiveError, match=f"essay.txt inside c.zip is compressed with {name}"):
        open_zip(data, what="c.zip")


def test_corrupt_member_is_named():
    """Damaged compressed data gives an ArchiveError naming the member, never zlib's own error."""
    data = bytearray(make_zip({"essay.ann": b"T1\tClaim 0 4\tcats " * 200}))
    data[40:80] = b"\xff" * 40  # inside the deflated stream of the first member
    with open_zip(bytes(data), what="c.zip") as archive, pytest.raises(ArchiveError, match="essay.ann inside c.zip is damaged"):
        archive.read("essay.ann")


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 cut off", b"not a zip at all", make_zip({"a.txt": b"x"})[:-30]])
def test_not_a_zip_or_cut_off(data):
    """Bytes that are not a whole zip are refused with one sentence."""
    with pytest.raises(ArchiveError, match="x.zip is not a zip file"):
        open_zip(data, what="x.zip")


def test_is_zip():
    assert is_zip(make_zip({"a": b""})) and not is_zip(b'{"text": 1}')


def test_entry_count_is_read_from_the_end_record_before_the_directory(monkeypatch):
    """100,000 entries are refused from the end-of-directory record, before zipfile parses the directory."""
    from annotations.formats.archive import declared_entries

    data = make_zip({f"e{i}.ann": b"" for i in range(70_000)})  # past 65,535: a zip64 end record
    assert declared_entries(data) == 70_000
    assert declared_entries(make_zip({"a": b"", "b": b""})) == 2

    def refuse(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", refuse)
    with pytest.raises(ArchiveError, match="big.zip has 70,000 entries; the limit is 10,000"):
        open_zip(data, what="big.zip")
