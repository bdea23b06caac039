"""A larger brat corpus of another scheme: the arg-microtexts (read in place from ../shared, never
copied) written as brat standoff with their own conf (pro/opp units, sup/reb relations), then
imported with --map and exported back: every text byte-identical, every line the same, 0 errors."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest

from annotations.formats.base import ImportOptions, parse_label_map
from annotations.formats.brat import export_files, import_files
from tests.formats.brat_verifier import verify
from tests.paths import microtexts_dir

CONF = """[entities]
pro
opp

[relations]
sup\tArg1:pro|opp, Arg2:pro|opp
reb\tArg1:pro|opp, Arg2:pro|opp

[events]

[attributes]
"""
MAPPING = parse_label_map(["pro=evidence,opp=counterclaim", "sup=supports,reb=attacks"])


def microtext_as_brat(xml_path) -> tuple[str, str] | None:
    """(.txt, .ann) for one microtext: an ADU per T line (its EDUs as fragments), sup/reb between ADUs."""
    text = xml_path.with_suffix(".txt").read_text(encoding="utf-8")
    root = ElementTree.parse(xml_path).getroot()
    edus, position = {}, 0
    for edu in root.iter("edu"):
        start = text.find(edu.text.strip(), position)
        if start < 0:
            return None
        edus[edu.get("id")] = (start, start + len(edu.text.strip()))
        position = start + len(edu.text.strip())
    adu_types = {adu.get("id"): adu.get("type") for adu in root.iter("adu")}
    segments: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for edge in root.iter("edge"):
        if edge.get("type") == "seg":
            segments.setdefault(edge.get("trg"), []).append(edus[edge.get("src")])
        elif edge.get("type") in ("sup", "reb") and edge.get("trg") in adu_types:
            relations.append((edge.get("type"), edge.get("src"), edge.get("trg")))
    lines, t_of = [], {}
    for number, (adu, fragments) in enumerate(sorted(segments.items(), key=lambda item: min(item[1])), start=1):
        fragments.sort()
        t_of[adu] = f"T{number}"
        offsets = ";".join(f"{a} {b}" for a, b in fragments)
        lines.append(f"T{number}\t{adu_types[adu]} {offsets}\t{' '.join(text[a:b] for a, b in fragments)}")
    for number, (kind, source, target) in enumerate(relations, start=1):
        lines.append(f"R{number}\t{kind} Arg1:{t_of[source]} Arg2:{t_of[target]}\t")
    return text, "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, str]]:
    converted = {}
    for xml_path in sorted(microtexts_dir().glob("*.xml")):
        pair = microtext_as_brat(xml_path)
        if pair is not None:
            converted[xml_path.stem] = pair
    assert len(converted) == len(list(microtexts_dir().glob("*.xml")))  # every text converts (62 in the shared copy)
    return converted


def corpus_zip(corpus) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("microtexts/annotation.conf", CONF)
        for stem, (text, ann) in corpus.items():
            archive.writestr(f"microtexts/{stem}.txt", text)
            archive.writestr(f"microtexts/{stem}.ann", ann)
    return buffer.getvalue()


def test_the_converted_corpus_is_valid_brat(corpus):
    """Our conversion passes the verifier against its own conf (so the round trip below starts from valid files)."""
    for stem, (text, ann) in corpus.items():
        assert verify(CONF, text, ann) == [], stem


def test_microtexts_in_brat_out_are_identical(corpus):
    """Every text: the same .txt bytes, the same T and R lines, the corpus's conf, 0 verifier errors."""
    options = ImportOptions(label_map=MAPPING)
    maps = import_files([("microtexts.zip", corpus_zip(corpus))], options=options)
    assert len(maps) == len(corpus) and options.left_out == []
    assert sum(len(m.spans) for m in maps) == sum(ann.count("\nT") + 1 for _t, ann in corpus.values())
    for argument_map in maps:
        stem = argument_map.provenance["stem"]
        out = export_files(argument_map)
        text, ann = corpus[stem]
        assert out[f"{stem}.txt"] == text
        assert sorted(out[f"{stem}.ann"].splitlines()) == sorted(ann.splitlines())
        assert out["annotation.conf"] == CONF
        assert verify(CONF, out[f"{stem}.txt"], out[f"{stem}.ann"]) == []
        assert {span.label for span in argument_map.spans} <= {"evidence", "counterclaim"}


@pytest.mark.django_db
def test_microtexts_through_the_command_store_every_span(corpus, people, tmp_path):
    """import_map with --map stores one document per text and exactly the spans and relations of the files."""
    from django.core.management import call_command

    from annotations import services
    from annotations.models import Annotation, Document, Relation

    project = services.project_create(name="Micro", slug="micro", creator=people["curator"],
                                      labels=["claim", "evidence", "counterclaim"])
    path = tmp_path / "microtexts.zip"
    path.write_bytes(corpus_zip(corpus))
    out = io.StringIO()
    call_command("import_map", "--format", "brat", "--project", "micro", "--map", "pro=evidence,opp=counterclaim",
                 "--map", "sup=supports,reb=attacks", str(path), stdout=out)
    spans = sum(ann.count("\nT") + 1 for _t, ann in corpus.values())
    relations = sum(ann.count("\nR") for _t, ann in corpus.values())
    assert Document.objects.filter(project=project).count() == len(corpus)
    assert Annotation.objects.filter(document__project=project).count() == spans
    assert Relation.objects.filter(document__project=project).count() == relations
    assert f"{spans} spans, {relations} relations stored" in out.getvalue()
