"""Files as other tools write them, through the API and the import page as a person sends them:
doccano's export zip, an AIFdb corpus zip, brat files saved on Windows (CRLF, BOM) and with events.
Each answers 201 with a summary that counts the stored rows, or a 400 naming the member and line,
storing nothing."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations import services
from annotations.models import Annotation, Document, Relation
from tests.formats.test_real_shapes import AIFDB, CLAIM, ESSAY_ANN, EXPECTED, TEXT, doccano_record, t_line

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def counts() -> tuple[int, int, int]:
    return Document.objects.count(), Annotation.objects.count(), Relation.objects.count()


def zipped(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def target(people):
    return services.project_create(name="Tools", slug="tools", creator=people["curator"],
                                   labels=["major_claim", "claim", "evidence", "counterclaim", "rebuttal"])


def stored(document_id: int) -> list[tuple[str, str]]:
    return sorted(Annotation.objects.filter(document_id=document_id).values_list("label", "quote"))


def post(api, people, target, format_name, *files, **fields):
    return api.as_user(people["curator"]).post(
        f"/api/projects/{target.slug}/import/",
        {"format": format_name, "layer": "consensus", "file": [upload(n, d) for n, d in files], **fields})


def test_doccano_export_zip_of_two_annotators_is_one_document_counted_as_stored(api, people, target):
    data = zipped({"admin.jsonl": json.dumps(doccano_record()) + "\n",
                   "annotator2.jsonl": json.dumps(doccano_record(id=8)) + "\n"})
    response = post(api, people, target, "doccano", ("project_3.zip", data))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert stored(document["id"]) == EXPECTED and document["spans"] == 3 and document["relations"] == 2
    assert Relation.objects.filter(document_id=document["id"]).count() == 2
    assert any("admin.jsonl" in line and "annotator2.jsonl" in line for line in response.json()["merged"])


def test_aifdb_corpus_zip_through_the_api(api, people, target):
    data = zipped({"nodeset10234.json": json.dumps(AIFDB), "nodeset10234.txt": TEXT})
    response = post(api, people, target, "aif", ("corpus.zip", data))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert stored(document["id"]) == EXPECTED and Relation.objects.filter(document_id=document["id"]).count() == 2
    assert Document.objects.get(pk=document["id"]).paragraphs.count() == 2


def test_bad_member_of_a_zip_is_a_400_naming_it_and_nothing_is_stored(api, people, target):
    before = counts()
    bad = doccano_record()
    bad["entities"][1]["end_offset"] = 10_000
    data = zipped({"admin.jsonl": json.dumps(doccano_record()) + "\n", "zz.jsonl": json.dumps(bad) + "\n"})
    response = post(api, people, target, "doccano", ("project_3.zip", data))
    assert response.status_code == 400
    assert "project_3.zip: zz.jsonl, line 1, entity 2: offsets" in response.json()["detail"] and counts() == before


def test_brat_pair_saved_on_windows_through_the_page(client, people, target):
    """CRLF line ends and offsets counting them, a BOM, through the import form as a person uses it."""
    crlf = "\ufeff" + TEXT.replace("\n", "\r\n")
    ann = ESSAY_ANN.replace("\n", "\r\n")
    for quote in ("We should ban cars from the centre", "Streets without cars are safer for children",
                  "shops will lose trade"):
        plain, counted = t_line("", "", quote).split("\t")[1], t_line("", "", quote, crlf).split("\t")[1]
        ann = ann.replace(plain.strip(), counted.strip())
    client.force_login(people["curator"])
    response = client.post(f"/p/{target.slug}/import/", {
        "format": "brat", "layer": "consensus",
        "files": [upload("essay.txt", crlf.encode()), upload("essay.ann", ann.encode())]}, follow=True)
    assert response.status_code == 200
    assert "1 document(s) imported" in response.content.decode()
    document = Document.objects.get(project=target)
    assert stored(document.pk) == EXPECTED and Relation.objects.filter(document=document).count() == 2
    assert "\r" not in "".join(document.paragraphs.values_list("text", flat=True))
    assert Annotation.objects.get(document=document, label="claim").note == "the main claim ✓"


def test_brat_with_events_reports_what_it_left_out(api, people, target):
    ann = (ESSAY_ANN + t_line("T9", "Protest", "Naïve critics") + "E1\tProtest:T9 Agent:T3\nA7\tNegated E1\n"
           + "R9\tattacks Arg1:E1 Arg2:T1\n")
    response = post(api, people, target, "brat", ("essay.txt", TEXT.encode()), ("essay.ann", ann.encode()))
    assert response.status_code == 201, response.json()
    assert response.json()["documents"][0]["spans"] == 3 and Annotation.objects.count() == 3
    left_out = "\n".join(response.json()["left_out"])
    assert "(T9): the trigger of event E1" in left_out and "(R9): relation links an event" in left_out
    assert CLAIM in Annotation.objects.filter(label="claim").values_list("quote", flat=True)


def test_hand_written_argdown_through_the_api(api, people, target):
    """An Argdown file (no source text): one paragraph and one span per statement, its relations; a file whose
    relation has no statement above it is a 400 naming the line, nothing stored."""
    from tests.formats.test_argdown import HAND_WRITTEN

    response = post(api, people, target, "argdown", ("post.argdown", HAND_WRITTEN.encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert document["spans"] == Annotation.objects.filter(document_id=document["id"]).count() == 8
    assert document["relations"] == Relation.objects.filter(document_id=document["id"]).count() == 8
    assert Document.objects.get(pk=document["id"]).title == "Close the Königstraße"
    before = counts()
    response = post(api, people, target, "argdown", ("bad.argdown", b"[A]: fine\n\n  + [B]: an orphan\n"))
    assert response.status_code == 400 and "bad.argdown: line 3: the relation '+'" in response.json()["detail"]
    assert counts() == before


def test_yed_graphml_through_the_api(api, people, target):
    """A yEd diagram: a 201 counting the stored spans and links, the group node reported as left out."""
    from tests.formats.test_graphml_import import YED

    response = post(api, people, target, "graphml", ("diagram.graphml", YED.encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert document["spans"] == Annotation.objects.filter(document_id=document["id"]).count() == 5
    assert document["relations"] == Relation.objects.filter(document_id=document["id"]).count() == 4
    assert any("a group node" in line for line in response.json()["left_out"])
    before = counts()
    response = post(api, people, target, "graphml", ("broken.graphml", b"<graphml><graph><node id='a'></graph>"))
    assert response.status_code == 400 and response.json()["detail"].startswith("broken.graphml: line 1: not well-formed XML")
    assert counts() == before


def test_brat_offsets_in_utf16_code_units_through_the_page(client, people, target):
    """A .ann whose offsets count UTF-16 code units (emoji before the spans), as Java and JavaScript tools write it."""
    from tests.formats.test_real_shapes import EMOJI_TEXT, PREMISE, utf16_t_line

    ann = utf16_t_line("T1", "Claim", CLAIM, EMOJI_TEXT) + utf16_t_line("T2", "Premise", PREMISE, EMOJI_TEXT)
    ann += "R1\tsupports Arg1:T2 Arg2:T1\n"
    client.force_login(people["curator"])
    response = client.post(f"/p/{target.slug}/import/", {
        "format": "brat", "layer": "consensus",
        "files": [upload("e.txt", EMOJI_TEXT.encode()), upload("e.ann", ann.encode())]}, follow=True)
    assert "1 document(s) imported" in response.content.decode()
    document = Document.objects.get(project=target)
    assert stored(document.pk) == [("claim", CLAIM), ("evidence", PREMISE)]
    assert Relation.objects.filter(document=document).count() == 1
    assert document.map_provenances.get().data["offsets"] == "utf16"


def test_doccano_1_0_export_with_label_ids_through_the_api(api, people, target):
    """doccano 1.0's JSONL (labels as ids): a 400 naming the ids and what to do, nothing stored; with the
    project's label file beside it, a 201 counting the stored spans."""
    from tests.formats.test_real_shapes import DOCCANO_LABELS, doccano_1_0_record

    data = (json.dumps(doccano_1_0_record(users=(1, 2))) + "\n").encode()
    before = counts()
    response = post(api, people, target, "doccano", ("doccano.jsonl", data))
    assert response.status_code == 400 and counts() == before
    assert response.json()["detail"].startswith("doccano.jsonl: line 1: the labels are doccano label ids (7, 8, 9)")
    response = post(api, people, target, "doccano", ("doccano.jsonl", data),
                    ("label_config.json", json.dumps(DOCCANO_LABELS).encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert stored(document["id"]) == EXPECTED and document["spans"] == 3
    assert response.json()["merged"] == ["doccano.jsonl, line 1, user 2 has the same text as doccano.jsonl, line 1, "
                                         "user 1: merged into one document"]
    response = post(api, people, target, "doccano", ("doccano.jsonl", data), map=["7=claim,9=evidence,8=counterclaim"],
                    replace=True)
    assert response.status_code == 201 and stored(document["id"]) == EXPECTED


def test_aif_with_an_inference_without_premise_imports_the_rest_and_names_the_node(api, people, target):
    from tests.formats.test_real_shapes import aif_with_dangling_schemes

    response = post(api, people, target, "aif", ("n.json", json.dumps(aif_with_dangling_schemes()).encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert stored(document["id"]) == EXPECTED and document["relations"] == 2 == Relation.objects.count()
    assert any(line.startswith("n.json, RA node 51608: this inference (RA) has no incoming edge")
               for line in response.json()["left_out"])
    assert "2 item(s) left out" in response.json()["detail"]


def test_graphml_edges_without_kind_are_said_to_be_assumed_supports_or_left_out_when_mapped(api, people, target):
    graph = ("<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><key id='k' for='edge' attr.name='kind'/>"
             "<graph edgedefault='directed'><node id='a'><data key='d0'>Cars out</data></node>"
             "<node id='b'><data key='d0'>Safer streets</data></node><node id='c'><data key='d0'>Lost trade</data></node>"
             "<edge id='e1' source='b' target='a'/><edge id='e2' source='c' target='a'><data key='k'>attacks</data>"
             "</edge></graph></graphml>").replace("key='d0'", "key='text'")
    response = post(api, people, target, "graphml", ("g.graphml", graph.encode()))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["documents"][0]["relations"] == 2 == Relation.objects.count() and body["left_out"] == []
    assert body["assumed"] == ["g.graphml, 1 edge(s) name neither supports nor attacks (no kind, label or red/green "
                               "line) and were stored as supports: edge 'e1'; map (none)=attacks, or (none)=- to "
                               "leave them out"]
    assert "2 relations stored (g.graphml, 1 edge(s) name neither" in body["detail"]
    response = post(api, people, target, "graphml", ("g.graphml", graph.encode()), map=["(none)=-"], replace=True)
    assert response.status_code == 201 and response.json()["documents"][0]["relations"] == 1 == Relation.objects.count()
    assert response.json()["left_out"] == ["g.graphml, edge 'e1': names no kind; (none)=- leaves such edges out"]


def test_inception_brat_xaif_and_multi_step_argdown_through_the_api(api, people, target):
    """Each new shape as a person sends it: a 201 whose counts are the rows stored."""
    from tests.formats.test_real_shapes import PREMISE, xaif_document

    ann = (t_line("T1", "Span", CLAIM) + t_line("T2", "webanno-custom-Premise", PREMISE) + "A1\tlabel T1 Claim\n"
           + "R1\tRelation Governor:T2 Dependent:T1\nA2\tlabel R1 support\n")
    response = post(api, people, target, "brat", ("i.txt", TEXT.encode()), ("i.ann", ann.encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert stored(document["id"]) == [("claim", CLAIM), ("evidence", PREMISE)] and document["relations"] == 1

    response = post(api, people, target, "aif", ("x.json", json.dumps(xaif_document()).encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert stored(document["id"]) == [("claim", CLAIM), ("evidence", PREMISE)]
    assert document["relations"] == Relation.objects.filter(document_id=document["id"]).count() == 1

    argdown = ("<A>\n\n(1) Kids walk.\n(2) Cars hurt walkers.\n----\n(3) [D]: Cars hurt kids.\n(4) Harm must go.\n----\n"
               "(5) [Ban]: Ban the cars.\n")
    response = post(api, people, target, "argdown", ("a.argdown", argdown.encode()))
    assert response.status_code == 201, response.json()
    (document,) = response.json()["documents"]
    assert document["spans"] == 5 and document["relations"] == 4 == Relation.objects.filter(
        document_id=document["id"]).count()
    assert response.json()["left_out"] == []


def test_xaif_through_the_page(client, people, target):
    from tests.formats.test_real_shapes import PREMISE, xaif_document

    client.force_login(people["curator"])
    response = client.post(f"/p/{target.slug}/import/", {
        "format": "aif", "layer": "consensus",
        "files": [upload("x.json", json.dumps(xaif_document()).encode())]}, follow=True)
    assert "1 document(s) imported" in response.content.decode()
    document = Document.objects.get(project=target)
    assert stored(document.pk) == [("claim", CLAIM), ("evidence", PREMISE)]


def test_doccano_1_0_export_and_its_label_file_through_the_page(client, people, target):
    """Both files chosen at once in the import form; the ids become labels through the label file."""
    from tests.formats.test_real_shapes import DOCCANO_LABELS, doccano_1_0_record

    client.force_login(people["curator"])
    response = client.post(f"/p/{target.slug}/import/", {
        "format": "doccano", "layer": "consensus",
        "files": [upload("doccano.jsonl", (json.dumps(doccano_1_0_record()) + "\n").encode()),
                  upload("label_config.json", json.dumps(DOCCANO_LABELS).encode())]}, follow=True)
    assert "1 document(s) imported" in response.content.decode()
    assert stored(Document.objects.get(project=target).pk) == EXPECTED
    before = counts()
    response = client.post(f"/p/{target.slug}/import/", {
        "format": "doccano", "layer": "consensus", "replace": "on",
        "files": [upload("doccano.jsonl", (json.dumps(doccano_1_0_record()) + "\n").encode())]})
    assert response.status_code == 400 and "doccano label ids (7, 8, 9)" in response.content.decode()
    assert counts() == before
