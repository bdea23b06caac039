"""Real-shaped files through the database, from the command, the API and the page: a brat corpus
zip with the same essay twice (merged, counts true), faithful brat and AIF round trips, doccano
with label mapping, hostile archives refused with a 400 naming the limit or the member."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations import services
from annotations.models import Annotation, Document, MapProvenance, Relation
from tests.formats.brat_verifier import verify
from tests.formats.ova3_rules import aifdb_problems, ova3_load
from tests.formats.test_brat_corpus import CORPUS, corpus_files, corpus_zip
from tests.formats.test_ova3 import OVA3_SAVE

pytestmark = pytest.mark.django_db
DATA = CORPUS.parent


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def counts() -> tuple[int, int, int]:
    return Document.objects.count(), Annotation.objects.count(), Relation.objects.count()


@pytest.fixture
def target(people):
    return services.project_create(
        name="Corpus", slug="corpus", creator=people["curator"],
        labels=["major_claim", "claim", "evidence", "counterclaim", "rebuttal"],
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_map", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _t(t_id: str, entity_type: str, quote: str) -> str:
    start = corpus_files()["essay01.txt"].decode().index(quote)
    return f"{t_id}\t{entity_type} {start} {start + len(quote)}\t{quote}\n"


def twice_zip(second_ann: str) -> bytes:
    """The corpus plus a second annotation of essay01's text under another name (as real corpora have)."""
    files = corpus_files()
    return corpus_zip({"brat-project/essay01-copy.txt": files["essay01.txt"],
                       "brat-project/essay01-copy.ann": second_ann.encode()})


def test_same_text_twice_with_replace_is_merged_and_the_summary_counts_what_is_stored(target, tmp_path):
    """Two maps of one text in one import go into one document as one merged map; with --replace, run twice,
    the summary's counts are the rows in the database (item 1 of issue 14)."""
    extra = _t("T1", "MajorClaim", "we should attach more importance to cooperation during primary education") + \
        _t("T9", "Premise", "companies continue to improve their products and service")
    path = tmp_path / "corpus.zip"
    path.write_bytes(twice_zip(extra))
    for _ in range(2):
        out = run("--format", "brat", "--project", "corpus", "--replace", str(path))
        stored = Annotation.objects.filter(document__project=target).count()
        relations = Relation.objects.filter(document__project=target).count()
        assert Document.objects.filter(project=target).count() == 2
        assert f"2 document(s) imported into layer 'Consensus'" in out
        assert f"; {stored} spans, {relations} relations stored" in out
        assert stored == 5 + 5 + 1 and relations == 3  # the copy's MajorClaim is the same span; its T9 is new
        assert ("merged: corpus.zip: brat-project/essay01.ann has the same text as "
                "corpus.zip: brat-project/essay01-copy.ann") in out


def test_same_text_with_two_labels_is_refused_naming_both_files(api, target, people):
    """The same stretch tagged two ways in two files: 400 naming both, nothing stored (item 9)."""
    extra = _t("T1", "Premise", "we should attach more importance to cooperation during primary education")
    before = counts()
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/", {"format": "brat", "file": upload("corpus.zip", twice_zip(extra))})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "brat-project/essay01-copy.ann" in detail and "brat-project/essay01.ann" in detail
    assert "differently (evidence and major_claim)" in detail
    assert counts() == before


def test_brat_corpus_in_and_out_through_the_api_is_faithful(api, target, people):
    """A folder's files uploaded at once → stored → brat export: the .txt bytes, the .ann lines and the conf come
    back, and the verifier finds 0 errors against the corpus's own conf."""
    client = api.as_user(people["curator"])
    files = corpus_files()
    response = client.post(f"/api/projects/{target.slug}/import/", {
        "format": "brat", "layer": "consensus",
        "file": [upload(name, data) for name, data in files.items()],
    })
    assert response.status_code == 201, response.json()
    assert MapProvenance.objects.filter(layer__project=target, format="brat").count() == 2
    for item in response.json()["documents"]:
        exported = client.get(f"/api/documents/{item['id']}/export/?layer=consensus&format=brat")
        with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
            names = archive.namelist()
            stem = next(n[:-4] for n in names if n.endswith(".txt"))
            text, ann = archive.read(f"{stem}.txt"), archive.read(f"{stem}.ann").decode()
            conf = archive.read("annotation.conf").decode()
        assert text == files[f"{stem}.txt"]
        assert sorted(ann.splitlines()) == sorted(files[f"{stem}.ann"].decode().splitlines())
        assert conf == files["annotation.conf"].decode()
        assert verify(conf, text.decode(), ann) == []


def test_command_imports_a_folder_of_pairs(target, tmp_path):
    """import_map --format brat FOLDER reads its .txt/.ann pairs and annotation.conf; hidden files are skipped."""
    folder = tmp_path / "brat-project"
    folder.mkdir()
    for name, data in corpus_files().items():
        (folder / name).write_bytes(data)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\xff")
    out = run("--format", "brat", "--project", "corpus", str(folder))
    assert "2 document(s) imported" in out and "10 spans, 3 relations stored" in out
    assert set(Document.objects.filter(project=target).values_list("title", flat=True)) == {
        "Should students be taught to compete or to cooperate?",
        "More people are migrating to other countries than ever before",
    }


def test_ova3_analysis_through_the_database_keeps_speakers_and_links_in_ova3(api, target, people):
    """OVA3 save → API import (left out reported) → AIF export: participants kept, OVA3 links every node."""
    client = api.as_user(people["curator"])
    response = client.post(f"/api/projects/{target.slug}/import/",
                           {"format": "aif", "layer": "consensus", "file": upload("analysis.json", OVA3_SAVE.read_bytes())})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["documents"][0]["spans"] == 4 and body["documents"][0]["relations"] == 3
    assert sum("reconstructed proposition" in line for line in body["left_out"]) == 2
    assert all(line.startswith("analysis.json, ") for line in body["left_out"][:1])
    exported = json.loads(client.get(f"/api/documents/{body['documents'][0]['id']}/export/?layer=consensus&format=aif").content)
    people_out = {(p["firstname"], p["surname"]) for p in exported["AIF"]["participants"]}
    assert people_out == {("Alice", "Smith"), ("Bob", "Jones")}
    assert "Bob Jones: But shops depend on customers who drive" in {n["text"] for n in exported["AIF"]["nodes"]}
    assert ova3_load(exported, dialogical=False).unlinked == []
    assert ova3_load(exported, dialogical=True).speakers_unresolved == []
    assert aifdb_problems(exported) == []


def test_strict_aif_import_is_refused_and_stores_nothing(api, target, people):
    before = counts()
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/",
        {"format": "aif", "strict": "true", "file": upload("analysis.json", OVA3_SAVE.read_bytes())})
    assert response.status_code == 400 and "analysis.json" in response.json()["detail"]
    assert "strict" in response.json()["detail"] and counts() == before


def test_doccano_with_label_mapping_from_api_command_and_page(api, target, people, tmp_path, client):
    """--map in all three: API field ``map`` (repeatable), the command's --map, the page's mapping field."""
    data = (DATA / "doccano-pretty.jsonl").read_bytes()
    api_client = api.as_user(people["curator"])
    response = api_client.post(f"/api/projects/{target.slug}/import/", {
        "format": "doccano", "layer": "consensus", "map": ["CLAIM=claim,Premise=evidence", "ORG=-,PER=-,works_for=-"],
        "file": upload("doccano-pretty.jsonl", data)})
    assert response.status_code == 201, response.json()
    assert [d["spans"] for d in response.json()["documents"]] == [2, 3]
    assert any(line.startswith("doccano-pretty.jsonl, line 46: record without text") for line in response.json()["left_out"])

    path = tmp_path / "doccano-array.json"
    path.write_bytes((DATA / "doccano-array.json").read_bytes())
    out = run("--format", "doccano", "--project", "corpus", "--layer", "answer_key", "--map", "CLAIM=claim",
              "--map", "Premise=evidence", "--map", "ORG=-,PER=-,works_for=-", str(path))
    assert "2 document(s) imported into layer" in out and "left out: doccano-array.json, line 2, entity 10" in out

    client.force_login(people["curator"])
    response = client.post(f"/p/{target.slug}/import/", {
        "format": "doccano", "layer": "own", "map": "CLAIM=claim, Premise=evidence, ORG=-, PER=-, works_for=-",
        "files": [upload("doccano-pretty.jsonl", data)]}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 document(s) imported" in page and "Left out: doccano-pretty.jsonl, line 46: record without text" in page
    assert 'name="map"' in page


def test_doccano_without_mapping_is_refused_with_the_hint(api, target, people):
    before = counts()
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/",
        {"format": "doccano", "file": upload("doccano-array.json", (DATA / "doccano-array.json").read_bytes())})
    assert response.status_code == 400
    assert "doccano-array.json: line 2, entity 10: unknown label 'PER'" in response.json()["detail"]
    assert "--map" in response.json()["detail"] and counts() == before


@pytest.mark.parametrize("make, message", [
    (lambda: _zip({"e.txt": b"\0" * 3_000_000, "e.ann": b""}), "corpus.zip unpacks to more than 2 MB (the limit)"),
    (lambda: _zip({f"e{i}.ann": b"" for i in range(60)}), "corpus.zip has 60 entries; the limit is 50"),
    (lambda: _zip({"e.txt": b"Cats.", "e.ann": b""}, method=zipfile.ZIP_LZMA), "e.txt inside corpus.zip is compressed with LZMA"),
    (lambda: _damaged(), "essay01.ann inside corpus.zip is damaged"),
    (lambda: _encrypted(), "inside corpus.zip is encrypted"),
    (lambda: b"PK\x03\x04 not really", "corpus.zip is not a zip file"),
    (lambda: _zip({"e.txt": b"\0" * 1000, "e.ann": b""}), "corpus.zip: e.ann: paragraph 0: its text contains a NUL character"),
])
def test_hostile_archives_get_a_400_naming_the_limit_or_member(api, target, people, settings, make, message):
    """Zip bombs, too many members, LZMA, corrupt and encrypted members: 400 with the reason, nothing stored."""
    settings.ARGMAP_ARCHIVE_MAX_BYTES = 2 * 1_048_576
    settings.ARGMAP_ARCHIVE_MAX_MEMBERS = 50
    before = counts()
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/", {"format": "brat", "file": upload("corpus.zip", make())})
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert counts() == before


def test_aif_node_id_with_unicode_digits_is_a_400(api, target, people):
    document = json.loads(OVA3_SAVE.read_text())
    document["AIF"]["nodes"][0]["nodeID"] = "²"
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/", {"format": "aif", "file": upload("a.json", json.dumps(document).encode())})
    assert response.status_code == 400 and "a.json: nodes[0]: nodeID '²'" in response.json()["detail"]


def test_project_export_zip_imports_back(api, stored_sample, target, people):
    """A project export (zip of .argmap.json files) is itself an import: every map in it comes back."""
    client = api.as_user(stored_sample.people["owner"])
    exported = client.get(f"/api/projects/{stored_sample.project.slug}/export/?formats=json,aif")
    assert exported.status_code == 200
    response = api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/", {"format": "json", "layer": "consensus",
                                                 "file": upload("export.zip", exported.content)})
    assert response.status_code == 201, response.json()
    assert len(response.json()["documents"]) == 1  # three layers of one document merge into one document
    assert response.json()["merged"]


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _damaged() -> bytes:
    data = bytearray(_zip({"essay01.ann": b"T1\tClaim 0 4\tcats " * 300, "essay01.txt": b"cats " * 100}))
    data[40:90] = b"\xff" * 50
    return bytes(data)


def _encrypted() -> bytes:
    data = bytearray(_zip({"essay01.ann": b"", "essay01.txt": b"Cats."}))
    data[6] |= 0x1
    directory = data.find(b"PK\x01\x02")
    data[directory + 8] |= 0x1
    return bytes(data)


def _brat_pair(extra_line: str) -> list[tuple[str, bytes]]:
    files = corpus_files()
    return [("essay01.txt", files["essay01.txt"]), ("essay01.ann", files["essay01.ann"] + extra_line.encode())]


@pytest.mark.parametrize("format_name, files, message", [
    ("brat", _brat_pair("T9\tPremise 10"), "essay01.ann, line 10: cannot read this annotation"),
    ("brat", _brat_pair("R9\tsupports Arg1:T3 Arg2:T42\t"), "essay01.ann, line 10 (R9): Arg2 T42 is not a text annotation"),
    ("brat", [("big.txt", b"word " * 20), ("big.ann", "".join(f"T{i}\tClaim 0 4\tword\n" for i in range(1, 100_001)).encode())],
     "big.ann: holds 100,000 annotations"),
    ("doccano", [("d.jsonl", b'{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 4}],'
                             b' "relations": [{"from_id": 1, "to_id": 9, "type": "supports"}]}')],
     "d.jsonl: line 1, relation 1: to_id 9 is not an entity"),
    ("doccano", [("d.jsonl", b'[{"text": "Cats purr.", "entities": [')], "d.jsonl: line 1: not valid JSON"),
    ("doccano", [("d.jsonl", b'{"text": "Cats purr. Dogs bark.", "entities": [{"id": 1, "label": "claim", "start_offset": 0,'
                             b' "end_offset": 4}, {"id": 2, "label": "evidence", "start_offset": 11, "end_offset": 15}],'
                             b' "relations": [{"id": "r\\u0000", "from_id": 2, "to_id": 1, "type": "supports"}]}')],
     "relation 'r\\x00': its id contains a NUL character at position 1"),
    ("doccano", [("d.jsonl", json.dumps({"text": "Cats purr. " + "word " * 20_000}).encode())],
     "paragraph 0 has 100,010 characters; a paragraph holds at most 100,000 (ARGMAP_MAX_PARAGRAPH_CHARS)"),
    ("json", [("m.json", json.dumps({
        "format": "argmap-map", "version": 1, "labels": ["claim", "evidence", "counterclaim"],
        "layer": {"kind": "personal", "name": "ann"},
        "document": {"title": "Pets", "source_name": "", "paragraphs": [{"position": 0, "kind": "body", "text": "Cats purr. Dogs bark."}]},
        "spans": [{"id": "s1", "paragraph": 0, "start": 0, "end": 4, "quote": "Cats", "label": "claim", "author": "",
                   "note": "", "origin": "manual", "suggestion": None},
                  {"id": "s2", "paragraph": 0, "start": 11, "end": 15, "quote": "Dogs", "label": "evidence", "author": "",
                   "note": "", "origin": "manual", "suggestion": None}],
        "relations": [{"id": "r1", "kind": "supports", "source": "s2", "target": "s1", "author": "a\x00b"}]}).encode())],
     "relation 'r1': its author contains a NUL character at position 1"),
    ("aif", [("a.json", OVA3_SAVE.read_bytes()[:-40])], "a.json: line 1, column"),
    ("aif", [("a.json", OVA3_SAVE.read_bytes().replace(b'"fromID": "2_1650000000"', b'"fromID": 2.5', 1))],
     "a.json: edge 1: nodeID 2.5 must be a number or a string"),
])
def test_hostile_variants_through_the_api_store_nothing(api, target, people, format_name, files, message):
    """Truncated files, wrong types, relations to missing ids, 100k spans, a NUL in a relation's id or author
    (PostgreSQL refused them: a 500): a 400 naming the file and the line or item, and no row written; a good first file in the same request is not stored either."""
    good = [("essay02.txt", corpus_files()["essay02.txt"]), ("essay02.ann", corpus_files()["essay02.ann"])]
    before = counts()
    response = api.as_user(people["curator"]).post(f"/api/projects/{target.slug}/import/", {
        "format": format_name, "layer": "consensus",
        "file": [upload(name, data) for name, data in (good if format_name == "brat" else []) + files]})
    assert response.status_code == 400, response.content[:300]
    assert message in response.json()["detail"]
    assert counts() == before
