"""collab-plugin.js against a fake store in Node: own-layer changes go to applyRemote (skipping
what the store already has), shown layers become overlays with their own style and follow
live changes, hiding removes the overlay."""
from __future__ import annotations

from pathlib import Path

from tests.static.node import needs_node, run_module_script

MODULE = Path(__file__).resolve().parents[2] / "annotations" / "static" / "annotations" / "collab-plugin.js"

SCRIPT = r"""
const { connectCollaboration } = await import(process.argv[2]);
class FakeStore extends EventTarget {
  constructor() { super(); this.annotations = new Map([["a1", { id: 1, version: 3 }]]); this.relations = new Map(); this.calls = []; this.overlays = new Map(); }
  keyForServerId(id) { return id === 1 ? "a1" : null; }
  serverId(key) { return key === "a1" ? 1 : null; }
  applyRemote(change) { this.calls.push(["applyRemote", change.kind, change.action, change.data.id]); }
  registerOverlay(name, provider) { this.overlays.set(name, provider); this.calls.push(["register", name]); }
  unregisterOverlay(name) { this.overlays.delete(name); this.calls.push(["unregister", name]); }
  refreshParagraphs(ids) { this.calls.push(["refresh", ids]); }
}
const store = new FakeStore();
const target = new EventTarget();
const fetchImpl = async (url) => ({ ok: true, status: 200, json: async () => ({
  layer: { id: 8, name: "bob", kind: "personal", owner: "bob" },
  annotations: [{ id: 50, paragraph: 100, start: 0, end: 4, label: "claim" }, { id: 51, paragraph: 101, start: 2, end: 6, label: "evidence" }],
  relations: [],
}) });
const collab = connectCollaboration(store, { documentId: 5, ownLayerId: 7, layers: [{ id: 7 }, { id: 8 }, { id: 9 }], target, fetchImpl, live: false });
const send = (kind, action, detail) => target.dispatchEvent(new CustomEvent(`argmap:${kind}-${action}`, { detail: { kind, action, ...detail } }));
send("annotation", "updated", { layer: 7, object_id: 1, data: { id: 1, version: 3 } });   // our own save echoed: skipped
send("annotation", "updated", { layer: 7, object_id: 1, data: { id: 1, version: 4 } });   // newer: applied
send("annotation", "created", { layer: 7, object_id: 2, data: { id: 2, version: 1 } });
send("relation", "deleted", { layer: 7, object_id: 3, data: { id: 3 } });
await collab.showLayer(8);
const provider = store.overlays.get("layer-8");
const marks = provider(100);
send("annotation", "created", { layer: 8, object_id: 52, data: { id: 52, paragraph: 101, start: 7, end: 9, label: "claim" } });
send("annotation", "deleted", { layer: 8, object_id: 50, data: { id: 50 } });
send("annotation", "created", { layer: 9, object_id: 60, data: { id: 60, paragraph: 100, start: 0, end: 1, label: "claim" } });  // not shown: ignored
const after = [provider(100).length, provider(101).map((m) => m.key)];
collab.hideLayer(8);
console.log(JSON.stringify({ calls: store.calls, marks, after, shown: collab.shownLayers }));
"""


@needs_node
def test_collab_plugin_with_a_fake_store(tmp_path):
    """Live changes reach the store or the overlay they belong to; overlays carry a per-layer style and a tooltip."""
    out = run_module_script(tmp_path, SCRIPT, MODULE)
    assert out["calls"] == [
        ["applyRemote", "annotation", "upsert", 1],
        ["applyRemote", "annotation", "upsert", 2],
        ["applyRemote", "relation", "delete", 3],
        ["register", "layer-8"],
        ["refresh", [101]],
        ["refresh", [100]],
        ["unregister", "layer-8"],
    ]
    assert out["marks"] == [{
        "key": 50, "start": 0, "end": 4, "label": "claim",
        "className": "overlay-layer overlay-layer-0", "title": "bob: claim", "passive": True,
    }]
    assert out["after"] == [0, [51, 52]]
    assert out["shown"] == []


NEW_LAYERS_SCRIPT = r"""
const { connectCollaboration } = await import(process.argv[2]);
class FakeStore extends EventTarget {
  constructor() { super(); this.annotations = new Map(); this.relations = new Map(); this.calls = []; this.layerId = null; }
  keyForServerId() { return null; }
  serverId() { return null; }
  applyRemote(change) { this.calls.push(["applyRemote", change.kind, change.action, change.data.id]); }
  registerOverlay() {}
  unregisterOverlay() {}
  refreshParagraphs(ids) { this.calls.push(["refresh", ids]); }
}
const store = new FakeStore();
const target = new EventTarget();
const urls = [];
let answer;
const listed = new Promise((resolve) => { answer = resolve; });
const fetchImpl = async (url) => {
  urls.push(url);
  await listed;
  return { ok: true, status: 200, json: async () => ({ document: 5, layers: [
    { id: 3, name: "bob", kind: "personal", owner: "bob", mine: false },
    { id: 4, name: "ann", kind: "personal", owner: "ann", mine: true },
  ] }) };
};
// Ann's page: no layer of her own yet, and no other layer when it loaded.
const collab = connectCollaboration(store, { documentId: 5, ownLayerId: null, layers: [], target, fetchImpl, live: false });
const added = [];
collab.addEventListener("layers", (event) => added.push(...event.detail.added.map((layer) => layer.name)));
const send = (kind, action, detail) => target.dispatchEvent(new CustomEvent(`argmap:${kind}-${action}`, { detail: { kind, action, ...detail } }));
send("annotation", "created", { layer: 3, object_id: 30, data: { id: 30, paragraph: 100, start: 0, end: 4, label: "claim", version: 1 } });
send("annotation", "created", { layer: 4, object_id: 40, data: { id: 40, paragraph: 100, start: 5, end: 9, label: "claim", version: 1 } });
send("annotation", "created", { layer: 9, object_id: 90, data: { id: 90, paragraph: 100, start: 0, end: 1, label: "claim", version: 1 } });
const whileAsking = store.calls.length;
answer();
await new Promise((resolve) => setTimeout(resolve, 20));
send("annotation", "updated", { layer: 4, object_id: 40, data: { id: 40, paragraph: 100, start: 5, end: 9, label: "evidence", version: 2 } });
send("annotation", "created", { layer: 9, object_id: 91, data: { id: 91, paragraph: 100, start: 0, end: 1, label: "claim", version: 1 } });
await new Promise((resolve) => setTimeout(resolve, 20));
console.log(JSON.stringify({ urls, whileAsking, calls: store.calls, added, own: collab.ownLayerId, storeLayer: store.layerId }));
"""


@needs_node
def test_collab_plugin_learns_layers_that_appear_while_the_page_is_open(tmp_path):
    """A change in an unknown layer asks for the layer list once, holding changes meanwhile: the
    person's own new layer becomes theirs (its spans reach the store), a colleague's is announced,
    and a layer the list does not name is not asked about again."""
    out = run_module_script(tmp_path, NEW_LAYERS_SCRIPT, MODULE)
    assert out["urls"] == ["/api/documents/5/layers/"]
    assert out["whileAsking"] == 0
    assert out["calls"] == [["applyRemote", "annotation", "upsert", 40], ["applyRemote", "annotation", "upsert", 40]]
    assert out["added"] == ["bob"]
    assert out["own"] == 4 and out["storeLayer"] == 4
