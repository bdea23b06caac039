"""Gold annotations to measure suggestions against, read from any format argmap imports.

``read_gold(paths)`` returns one ``GoldText`` per document: its body paragraphs (where they
start in the document text) and its labelled spans in document offsets. It reads

- the arg-microtexts XML (``micro_*.xml`` next to its ``.txt``; see ``arggraph.dtd``): the
  central claim (the proponent ADU with no outgoing argumentative edge) is the claim,
  opponent ADUs are counterclaims, the other proponent ADUs are evidence;
- every format the registry (``annotations.formats``) can import: argmap JSON, AIF, doccano
  JSONL, brat as a zip — and, for brat, also a folder of ``.txt``/``.ann`` pairs or one
  pair (given as either file), which are read through the same brat reader.

Labels are then mapped onto the three the suggestions use (claim, evidence, counterclaim):
``DEFAULT_LABEL_MAP`` turns major claims into claims and rebuttals into evidence; a
``label_map`` (``{"MajorClaim": "claim", "Premise": "none"}``, from ``--map FROM=TO``)
overrides it, ``none`` drops a label. For brat, ``stance`` (``"Stance=Against"``, the
Argument Annotated Essays' attribute, by default) names the attribute that makes a span a
counterclaim. Pure: no ORM, no network.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from pathlib import Path

from annotations.nlp import lexicon

ARGUMENT_EDGE_TYPES = {"sup", "exa", "reb", "und", "add"}
DROP = "none"
TARGET_LABELS = (*lexicon.LABELS, DROP)
DEFAULT_LABEL_MAP = {"major_claim": lexicon.CLAIM, "rebuttal": lexicon.EVIDENCE}
DEFAULT_STANCE = ("stance", "against")
# File endings → the registry's import format for them.
FORMAT_BY_SUFFIX = {".zip": "brat", ".jsonl": "doccano", ".aif.json": "aif", ".json": "json"}


class CorpusError(ValueError):
    """Gold that cannot be read, with the file and the item named."""


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str


@dataclass
class GoldText:
    """One document: its text, its body paragraphs ``(start, text)`` and its gold spans."""

    name: str
    text: str
    spans: list[LabelledSpan]
    paragraphs: list[tuple[int, str]]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def parse_label_map(items: list[str] | None) -> dict[str, str]:
    """``["Premise=evidence", "MajorClaim=claim"]`` → ``{"premise": "evidence", ...}``.

    Source names are compared without case, spaces or underscores (``MajorClaim`` =
    ``major_claim``); the target must be claim, evidence, counterclaim or none.
    """
    mapping: dict[str, str] = {}
    for item in items or []:
        source, separator, target = item.partition("=")
        source, target = source.strip(), target.strip().lower()
        if not separator or not source or not target:
            raise CorpusError(f"--map {item!r}: write FROM=TO, e.g. --map Premise=evidence")
        if target not in TARGET_LABELS:
            raise CorpusError(f"--map {item!r}: {target!r} is not one of {', '.join(TARGET_LABELS)}")
        mapping[_key(source)] = target
    return mapping


def parse_stance(option: str | None) -> tuple[str, str] | None:
    """``"Stance=Against"`` → ``("stance", "against")``; ``"none"`` turns the rule off."""
    if option is None:
        return DEFAULT_STANCE
    if option.strip().lower() == DROP:
        return None
    name, separator, value = option.partition("=")
    if not separator or not name.strip() or not value.strip():
        raise CorpusError(f"--stance {option!r}: write ATTRIBUTE=VALUE, e.g. --stance Stance=Against")
    return name.strip().lower(), value.strip().lower()


def _mapped(label: str, original: str, label_map: dict[str, str]) -> str:
    for name in (original, label):
        if _key(name) in label_map:
            return label_map[_key(name)]
    if label in lexicon.LABELS:
        return label
    return DEFAULT_LABEL_MAP.get(label, DROP)


# ---- arg-microtexts -------------------------------------------------------------------------

def _locate(text: str, fragment: str, cursor: int, where: str) -> tuple[int, int]:
    """Where ``fragment`` occurs in ``text`` at or after ``cursor`` (whitespace-tolerant)."""
    fragment = fragment.strip()
    position = text.find(fragment, cursor)
    if position >= 0:
        return position, position + len(fragment)
    pattern = r"\s+".join(re.escape(word) for word in fragment.split())
    found = re.compile(pattern).search(text, cursor)
    if not found:
        raise CorpusError(f"{where}: text {fragment[:60]!r} not found in the .txt file "
                          f"after character {cursor}")
    return found.start(), found.end()


def line_paragraphs(text: str) -> list[tuple[int, str]]:
    """The non-blank lines of a text with the offsets where they start."""
    paragraphs, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((offset, line))
        offset += len(line) + 1
    return paragraphs


def read_microtext(xml_path: Path, label_map: dict[str, str] | None = None) -> GoldText:
    """The text and gold spans of one arg-microtexts graph and its ``.txt`` file."""
    xml_path = Path(xml_path)
    txt_path = xml_path.with_suffix(".txt")
    if not txt_path.exists():
        raise CorpusError(f"{xml_path.name}: no text file {txt_path.name} next to it")
    text = txt_path.read_text(encoding="utf-8")
    try:
        root = ElementTree.parse(xml_path).getroot()
    except ElementTree.ParseError as error:
        raise CorpusError(f"{xml_path.name}: not well-formed XML ({error})") from error
    edu_bounds: dict[str, tuple[int, int]] = {}
    cursor = 0
    for edu in root.findall("edu"):
        start, end = _locate(text, edu.text or "", cursor, f"{xml_path.name} EDU {edu.get('id')}")
        edu_bounds[edu.get("id")] = (start, end)
        cursor = end
    adu_types = {adu.get("id"): adu.get("type") for adu in root.findall("adu")}
    segments: dict[str, list[str]] = {}
    outgoing: set[str] = set()
    for edge in root.findall("edge"):
        kind, source, target = edge.get("type"), edge.get("src"), edge.get("trg")
        if kind == "seg":
            segments.setdefault(target, []).append(source)
        elif kind in ARGUMENT_EDGE_TYPES:
            outgoing.add(source)

    def edus_of(node: str) -> list[str]:
        if node in edu_bounds:
            return [node]
        return [edu for part in segments.get(node, []) for edu in edus_of(part)]

    central = [adu for adu, kind in adu_types.items() if kind == "pro" and adu not in outgoing]
    if len(central) != 1:
        raise CorpusError(f"{xml_path.name}: expected one central claim (a proponent ADU "
                          f"with no outgoing edge), found {central or 'none'}")
    spans = []
    for adu, kind in adu_types.items():
        edus = edus_of(adu)
        if not edus:
            raise CorpusError(f"{xml_path.name}: ADU {adu} is tied to no EDU")
        start = min(edu_bounds[e][0] for e in edus)
        end = max(edu_bounds[e][1] for e in edus)
        label = (lexicon.COUNTERCLAIM if kind == "opp"
                 else lexicon.CLAIM if adu == central[0] else lexicon.EVIDENCE)
        original = {"opp": "opponent", "pro": "central" if adu == central[0] else "proponent"}.get(kind, "")
        label = _mapped(label, original, label_map or {})
        if label != DROP:
            spans.append(LabelledSpan(start, end, label))
    spans.sort(key=lambda span: span.start)
    return GoldText(xml_path.stem, text, spans, line_paragraphs(text))


def _is_microtext(path: Path) -> bool:
    try:
        for _event, element in ElementTree.iterparse(path, events=("start",)):
            return element.tag == "arggraph"
    except ElementTree.ParseError:
        return False
    return False


# ---- formats argmap imports -----------------------------------------------------------------

_A_LINE = re.compile(r"^[AM]\d+\t(\S+) (T\d+)(?: (\S+))?\s*$", re.MULTILINE)
_T_TYPE = re.compile(r"^(T\d+)\t(\S+) ", re.MULTILINE)


def _brat_details(ann: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """From an ``.ann`` text: each T id's entity type, and its attributes (lower-cased)."""
    types = dict(_T_TYPE.findall(ann))
    attributes: dict[str, dict[str, str]] = {}
    for name, target, value in _A_LINE.findall(ann):
        attributes.setdefault(target, {})[name.lower()] = (value or "true").lower()
    return types, attributes


def _maps_to_gold(maps, label_map: dict[str, str], brat_anns: list[str] | None,
                  stance: tuple[str, str] | None, source: str) -> list[GoldText]:
    gold = []
    for index, argument_map in enumerate(maps):
        types, attributes = _brat_details(brat_anns[index]) if brat_anns else ({}, {})
        starts = argument_map.paragraph_starts
        spans = []
        for span in argument_map.spans:
            label = span.label
            if stance is not None and attributes.get(span.id, {}).get(stance[0]) == stance[1]:
                label = lexicon.COUNTERCLAIM
            elif brat_anns and stance != DEFAULT_STANCE and label == lexicon.COUNTERCLAIM \
                    and _key(types.get(span.id, "")) == "claim":
                label = lexicon.CLAIM  # the reader's own Stance rule, switched off or renamed
            label = _mapped(label, types.get(span.id, ""), label_map)
            if label == DROP:
                continue
            offset = starts[span.paragraph]
            spans.append(LabelledSpan(offset + span.start, offset + span.end, label))
        spans.sort(key=lambda s: (s.start, s.end))
        paragraphs = [(starts[p.position], p.text) for p in argument_map.paragraphs
                      if p.kind != "heading"]
        name = argument_map.title if len(maps) == 1 and not brat_anns else (
            argument_map.title or f"{source} #{index + 1}")
        gold.append(GoldText(name, argument_map.document_text, spans, paragraphs))
    return gold


def _import_options(label_map: dict[str, str]):
    """The format readers' options: labels they do not know (a group's own entity types)
    are mapped while reading; known ones are mapped afterwards, with the stance rule."""
    from annotations.formats.base import FormatError, ImportOptions, label_from_name

    custom = {}
    for source, target in label_map.items():
        try:
            label_from_name(source, where="")
        except FormatError:
            custom[source] = "" if target == DROP else target
    return ImportOptions(label_map=custom)


def _read_files(format_name: str, files: list[tuple[str, bytes]], name: str,
                label_map: dict[str, str]):
    from annotations.formats import FormatError
    from annotations.formats.registry import get_import_format

    map_format = get_import_format(format_name)
    options = _import_options(label_map)
    try:
        if format_name == "brat":
            return map_format.import_files(files, options=options)
        (file_name, data), = files
        return map_format.import_(data, name=file_name, options=options)
    except FormatError as error:
        raise CorpusError(f"{name}: {error}") from error


def _base(name: str) -> str:
    """``"essays.zip: dev/one.ann"`` → ``"one.ann"`` (the readers name a zip's member so)."""
    return name.replace("\\", "/").rsplit(": ", 1)[-1].rsplit("/", 1)[-1]


def _brat_gold(files: list[tuple[str, bytes]], label_map, stance, source) -> list[GoldText]:
    maps = _read_files("brat", files, source, label_map)
    anns = {}
    for name, data in files:
        if name.lower().endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    if member.endswith(".ann"):
                        anns[_base(member)] = archive.read(member).decode("utf-8-sig", "replace")
        elif name.endswith(".ann"):
            anns[_base(name)] = data.decode("utf-8-sig", "replace")
    texts = [anns.get(_base(m.source_name or ""), "") for m in maps]
    gold = _maps_to_gold(maps, label_map, texts, stance, source)
    for item, argument_map in zip(gold, maps):
        item.name = _base(argument_map.source_name or "").removesuffix(".ann") or item.name
    return gold


def _suffix_format(path: Path) -> str | None:
    name = path.name.lower()
    for suffix, format_name in FORMAT_BY_SUFFIX.items():
        if name.endswith(suffix):
            return format_name
    return None


def _looks_like_aif(path: Path) -> bool:
    import json

    try:
        document = json.loads(path.read_bytes())
    except ValueError:
        return False
    return isinstance(document, dict) and ("AIF" in document or "nodes" in document)


def read_path(path: Path, *, label_map: dict[str, str] | None = None,
              stance: tuple[str, str] | None = DEFAULT_STANCE, format_name: str | None = None,
              limit: int | None = None) -> list[GoldText]:
    """Every gold document in ``path`` (a file or a folder), in name order."""
    path = Path(path)
    label_map = label_map or {}
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if path.is_dir():
        xml_paths = sorted(p for p in path.glob("*.xml") if _is_microtext(p))
        ann_paths = sorted(path.glob("*.ann"))
        if xml_paths and format_name in (None, "microtexts"):
            return [read_microtext(p, label_map) for p in xml_paths[:limit]]
        if ann_paths and format_name in (None, "brat"):
            files = []
            for ann_path in ann_paths[:limit]:
                txt_path = ann_path.with_suffix(".txt")
                if not txt_path.exists():
                    raise CorpusError(f"{ann_path.name}: no {txt_path.name} next to it")
                files += [(txt_path.name, txt_path.read_bytes()), (ann_path.name, ann_path.read_bytes())]
            conf = path / "annotation.conf"
            if conf.exists():
                files.append((conf.name, conf.read_bytes()))
            return _brat_gold(files, label_map, stance, path.name)
        files = sorted(p for p in path.iterdir() if p.is_file() and _suffix_format(p))
        if files and format_name not in ("microtexts", "brat"):
            gold = [item for p in files for item in read_path(p, label_map=label_map, stance=stance,
                                                                format_name=format_name)]
            return gold[:limit]
        raise CorpusError(f"{path}: no arg-microtexts *.xml, brat .ann/.txt pairs or "
                          "argmap JSON / AIF / doccano / brat zip files in it")
    suffix = path.suffix.lower()
    if suffix == ".xml" or format_name == "microtexts":
        if not _is_microtext(path):
            raise CorpusError(f"{path.name}: not an arg-microtexts graph (no <arggraph> root)")
        return [read_microtext(path, label_map)]
    if suffix in (".ann", ".txt") and format_name in (None, "brat"):
        ann_path, txt_path = path.with_suffix(".ann"), path.with_suffix(".txt")
        missing = [p.name for p in (ann_path, txt_path) if not p.exists()]
        if missing:
            raise CorpusError(f"{path.name}: a brat pair needs {' and '.join(missing)} next to it")
        return _brat_gold([(txt_path.name, txt_path.read_bytes()),
                           (ann_path.name, ann_path.read_bytes())], label_map, stance, path.name)
    format_name = format_name or _suffix_format(path)
    if format_name is None:
        raise CorpusError(f"{path.name}: cannot tell its format from the name; pass --format "
                          "(json, aif, doccano, brat or microtexts)")
    if format_name == "brat":
        if not zipfile.is_zipfile(path):
            raise CorpusError(f"{path.name}: not a zip file; brat gold is a zip, a folder of "
                              ".txt/.ann pairs or one pair")
        return _brat_gold([(path.name, path.read_bytes())], label_map, stance, path.name)[:limit]
    if format_name == "json" and _looks_like_aif(path):
        format_name = "aif"  # AIF files are often named .json too
    maps = _read_files(format_name, [(path.name, path.read_bytes())], path.name, label_map)
    return _maps_to_gold(maps, label_map, None, stance, path.name)[:limit]


def read_gold(paths: list[Path], *, label_map: dict[str, str] | None = None,
              stance: tuple[str, str] | None = DEFAULT_STANCE, format_name: str | None = None,
              limit: int | None = None) -> list[GoldText]:
    """The gold documents of every path, in order; at most ``limit`` in all."""
    gold: list[GoldText] = []
    for path in paths:
        gold.extend(read_path(path, label_map=label_map, stance=stance, format_name=format_name))
    if not gold:
        raise CorpusError("no documents in " + ", ".join(str(p) for p in paths))
    return gold[:limit] if limit else gold
