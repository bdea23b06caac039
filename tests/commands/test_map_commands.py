"""The export_map, export_project and import_map commands on the stored sample map."""
from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import networkx
import pytest
from django.core.management import CommandError, call_command

from annotations.formats import export_formats, get_format
from annotations.models import Annotation, Document, Relation
from annotations.selectors.maps import argument_map_get

from tests.fixtures.sample_map import REPO_ROOT, relation_tuples, span_tuples
from tests.formats.test_brat import ESSAY_TXT, _essay_offsets
from tests.api.test_exchange import comparable

pytestmark = pytest.mark.django_db


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("name", [f.name for f in export_formats()])
def test_export_map_writes_the_pure_export(stored_sample, tmp_path, name):
    """export_map writes, for every format, the same bytes as the pure export of the stored map."""
    stored = stored_sample
    output = tmp_path / f"out.{name}"
    message = run("export_map", "--document", str(stored.document.pk), "--layer", "annotator", "--format", name,
                  "--output", str(output))
    assert message.startswith(f"Wrote {output}")
    expected = get_format(name).export(argument_map_get(document=stored.document, layer=stored.layers["annotator"]))
    assert comparable(name, output.read_bytes()) == comparable(name, expected)


def test_export_map_into_a_folder_uses_the_file_name(stored_sample, tmp_path):
    """Given a folder, export_map names the file after the document and layer."""
    run("export_map", "--document", str(stored_sample.document.pk), "--layer", "answer_key", "--format", "json",
        "--output", str(tmp_path))
    written = tmp_path / "the-continuing-saga-of-russia-china-relations.answer-key.argmap.json"
    assert json.loads(written.read_text())["spans"][0]["label"] == "claim"


def test_export_map_outputs_read_by_real_consumers(stored_sample, tmp_path):
    """GraphML from the command loads in networkx; Argdown parses with @argdown/core when node_modules is there."""
    stored = stored_sample
    graphml = tmp_path / "map.graphml"
    run("export_map", "--document", str(stored.document.pk), "--layer", str(stored.layers["annotator"].pk),
        "--format", "graphml", "--output", str(graphml))
    graph = networkx.read_graphml(graphml)
    assert graph.number_of_nodes() == 11 and graph.number_of_edges() == 10
    if not (REPO_ROOT / "node_modules" / "@argdown" / "core").is_dir():
        pytest.skip("npm ci has not been run")
    argdown = tmp_path / "map.argdown"
    run("export_map", "--document", str(stored.document.pk), "--layer", "consensus", "--format", "argdown",
        "--output", str(argdown))
    parsed = subprocess.run(["node", str(REPO_ROOT / "tests" / "formats" / "argdown_parse.mjs"), str(argdown)],
                            capture_output=True, text=True, check=True)
    assert len(json.loads(parsed.stdout)["statements"]) == 3


@pytest.mark.parametrize("args,message", [
    (["--document", "999999", "--layer", "consensus", "--format", "json"], "No document with id 999999"),
    (["--layer", "consensus", "--format", "yaml"], "Unknown format 'yaml'; choose one of: json, aif"),
    (["--layer", "nobody", "--format", "json"], "No layer 'nobody'"),
])
def test_export_map_mistakes_are_command_errors(stored_sample, tmp_path, args, message):
    """Unknown document, format or layer: a CommandError saying which, no traceback."""
    if "--document" not in args:
        args = ["--document", str(stored_sample.document.pk), *args]
    with pytest.raises(CommandError, match=re.escape(message)):
        run("export_map", *args, "--output", str(tmp_path / "x"))


def test_export_project_zip_has_every_map_and_a_manifest(stored_sample, tmp_path):
    """export_project writes one file per document × layer × format and a manifest that lists them."""
    stored = stored_sample
    output = tmp_path / "all.zip"
    message = run("export_project", "--project", stored.project.slug, "--output", str(output), "--formats", "json,aif,csv")
    assert "1 documents, 3 maps, 9 files" in message
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        (document,) = manifest["documents"]
        assert {layer["kind"] for layer in document["layers"]} == {"personal", "consensus", "answer_key"}
        personal = next(layer for layer in document["layers"] if layer["kind"] == "personal")
        assert personal["spans"] == 11 and set(personal["files"]) == {"json", "aif", "csv"}
        (read_back,) = get_format("json").import_(archive.read(personal["files"]["json"]))
        assert span_tuples(read_back) == span_tuples(stored.map)
        assert set(archive.namelist()) == {"manifest.json"} | {
            path for layer in document["layers"] for path in layer["files"].values()}


def test_export_project_as_a_user_leaves_out_the_answer_key(stored_sample, tmp_path):
    """With --user, only the layers that person may see are exported."""
    output = tmp_path / "student.zip"
    run("export_project", "--project", stored_sample.project.slug, "--output", str(output), "--user", "annotator")
    with zipfile.ZipFile(output) as archive:
        layers = json.loads(archive.read("manifest.json"))["documents"][0]["layers"]
    assert {layer["kind"] for layer in layers} == {"personal", "consensus"}


def test_export_project_draws_a_progress_bar(stored_sample, tmp_path):
    """The progress bar goes to stderr and reaches the number of files."""
    err = io.StringIO()
    call_command("export_project", "--project", stored_sample.project.slug, "--output", str(tmp_path / "p.zip"),
                 "--formats", "json,csv", stdout=io.StringIO(), stderr=err)
    assert "6/6" in err.getvalue()


def test_export_project_unknown_format_is_a_command_error(stored_sample, tmp_path):
    """A bad format name stops before writing anything."""
    with pytest.raises(CommandError, match="Unknown format 'gif'"):
        run("export_project", "--project", stored_sample.project.slug, "--output", str(tmp_path / "p.zip"), "--formats", "json,gif")
    assert not (tmp_path / "p.zip").exists()


def test_import_map_command_brat_doccano_aif(project, people, tmp_path):
    """import_map reads brat (essays), doccano and AIF files into the consensus layer by default."""
    from annotations import services

    target = services.project_create(name="Cmd", slug="cmd", creator=people["owner"],
                                     labels=["major_claim", "claim", "evidence", "counterclaim"])
    essay = tmp_path / "essay001.zip"
    with zipfile.ZipFile(essay, "w") as archive:
        archive.writestr("essay001.txt", ESSAY_TXT)
        archive.writestr("essay001.ann", _essay_offsets())
    out = run("import_map", "--format", "brat", "--project", "cmd", str(essay))
    assert "1 document(s) imported into layer 'Consensus'" in out and "4 spans, 2 relations" in out
    doccano = tmp_path / "dogs.jsonl"
    doccano.write_text(json.dumps({"text": "Dogs are loyal. They wait for you.", "entities": [
        {"id": 1, "label": "claim", "start_offset": 0, "end_offset": 14},
        {"id": 2, "label": "evidence", "start_offset": 16, "end_offset": 33}],
        "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "supports"}]}) + "\n")
    assert "2 spans, 1 relations" in run("import_map", "--format", "doccano", "--project", "cmd", str(doccano))
    from tests.formats.test_aif import _ova3_dialogical

    aif = tmp_path / "homework.json"
    aif.write_text(json.dumps(_ova3_dialogical()))
    out = run("import_map", "--format", "aif", "--project", "cmd", "--user", "owner", str(aif))
    assert "layer 'owner'" in out and "3 spans, 2 relations" in out
    assert Document.objects.filter(project=target).count() == 3


def test_import_map_prints_what_it_assumed_and_reads_a_doccano_label_file(project, people, tmp_path):
    """GraphML edges without kind: an "assumed:" line naming them; doccano 1.0 with its label file as a second PATH."""
    from annotations import services
    from tests.formats.test_real_shapes import DOCCANO_LABELS, doccano_1_0_record

    services.project_create(name="Cmd", slug="cmd", creator=people["owner"], labels=["claim", "evidence", "counterclaim"])
    graph = tmp_path / "g.graphml"
    graph.write_text("<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><key id='t' for='node' attr.name='text'/>"
                     "<graph><node id='a'><data key='t'>Cars out</data></node><node id='b'><data key='t'>Safer"
                     "</data></node><edge id='e1' source='b' target='a'/></graph></graphml>")
    out = run("import_map", "--format", "graphml", "--project", "cmd", str(graph))
    assert "assumed: g.graphml, 1 edge(s) name neither supports nor attacks" in out and "edge 'e1'" in out
    records, labels = tmp_path / "old.jsonl", tmp_path / "label_config.json"
    records.write_text(json.dumps(doccano_1_0_record()) + "\n")
    labels.write_text(json.dumps(DOCCANO_LABELS))
    out = run("import_map", "--format", "doccano", "--project", "cmd", str(records), str(labels))
    assert "3 spans, 0 relations" in out


def test_import_map_bad_file_is_a_command_error_and_stores_nothing(project, people, tmp_path):
    """A broken second file stops the import with its name and line; the good first file is not stored."""
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text('{"text": "Cats purr.", "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 4}], "relations": []}\n')
    bad.write_text('{"text": "x"}\n{oops\n')
    with pytest.raises(CommandError, match=r"Nothing was imported\. bad\.jsonl: line 2"):
        run("import_map", "--format", "doccano", "--project", project.slug, str(good), str(bad))
    assert not Document.objects.filter(project=project).exists()
    assert not Annotation.objects.exists() and not Relation.objects.exists()


def test_import_map_as_annotator_into_consensus_is_refused(stored_sample, tmp_path):
    """--user applies that person's rights: an annotator cannot write the consensus."""
    path = tmp_path / "m.json"
    path.write_bytes(get_format("json").export(stored_sample.map))
    with pytest.raises(CommandError, match="Only curators and the owner can import into the consensus layer"):
        run("import_map", "--format", "json", "--project", stored_sample.project.slug, "--user", "annotator",
            "--layer", "consensus", str(path))


def test_import_map_unknown_project_and_missing_file(project, tmp_path):
    """Typos in the project or the path are CommandErrors."""
    with pytest.raises(CommandError, match="No project with the slug 'nope'"):
        run("import_map", "--format", "json", "--project", "nope", str(tmp_path))
    with pytest.raises(CommandError, match="Not a file"):
        run("import_map", "--format", "json", "--project", project.slug, str(tmp_path / "missing.json"))
