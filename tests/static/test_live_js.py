"""live.js in Node with a fake server: events named argmap:<kind>-<action> carry the change,
the cursor advances, ``more`` asks again at once, and a failing server is retried."""
from __future__ import annotations

from pathlib import Path

from tests.static.node import needs_node, run_module_script

LIVE_JS = Path(__file__).resolve().parents[2] / "annotations" / "static" / "annotations" / "live.js"

SCRIPT = r"""
const { startLive } = await import(process.argv[2]);
const answers = [
  { status: 200, body: { cursor: 7, more: true, events: [
    { id: 6, kind: "annotation", action: "created", object_id: 11, layer: 2, actor: "b", at: "2026-01-01T00:00:00Z", data: { id: 11, quote: "Cats", version: 1 } },
    { id: 7, kind: "relation", action: "deleted", object_id: 3, layer: 2, actor: "b", at: "2026-01-01T00:00:00Z", data: { id: 3 } },
  ] } },
  { status: 500, body: {} },
  { status: 200, body: { cursor: 9, more: false, events: [
    { id: 9, kind: "comment", action: "updated", object_id: 4, layer: 2, actor: "c", at: "2026-01-01T00:00:01Z", data: { id: 4, resolved: true } },
  ] } },
];
const urls = [];
const fetchImpl = async (url) => {
  urls.push(url);
  const answer = answers.shift() ?? { status: 200, body: { cursor: 9, more: false, events: [] } };
  return { ok: answer.status === 200, status: answer.status, json: async () => answer.body };
};
const target = new EventTarget();
const seen = [];
for (const name of ["argmap:annotation-created", "argmap:relation-deleted", "argmap:comment-updated", "argmap:live-status", "argmap:live-batch"]) {
  target.addEventListener(name, (event) => seen.push([name, event.detail.id ?? event.detail.state ?? event.detail.cursor]));
}
const live = startLive({ documentId: 5, cursor: 5, target, intervalMs: 5, fetchImpl });
await new Promise((resolve) => setTimeout(resolve, 200));
live.stop();
console.log(JSON.stringify({ urls: urls.slice(0, 4), seen, cursor: live.cursor }));
"""


@needs_node
def test_live_js_dispatches_changes_and_follows_the_cursor(tmp_path):
    """Changes become CustomEvents in order; the cursor advances; errors are retried without losing place."""
    out = run_module_script(tmp_path, SCRIPT, LIVE_JS)
    assert out["urls"][:4] == [
        "/api/documents/5/changes/?since=5",
        "/api/documents/5/changes/?since=7",  # "more": asked again at once
        "/api/documents/5/changes/?since=7",  # after the 500, the same cursor again
        "/api/documents/5/changes/?since=9",
    ]
    events = [item for item in out["seen"] if item[0] != "argmap:live-status"]
    assert events == [
        ["argmap:annotation-created", 6], ["argmap:relation-deleted", 7], ["argmap:live-batch", 7],
        ["argmap:comment-updated", 9], ["argmap:live-batch", 9],
    ]
    assert ["argmap:live-status", "retrying"] in out["seen"] and ["argmap:live-status", "live"] in out["seen"]
    assert out["cursor"] == 9


GONE_SCRIPT = r"""
const { startLive } = await import(process.argv[2]);
const urls = [];
const fetchImpl = async (url) => {
  urls.push(url);
  return { ok: false, status: 404, json: async () => ({ detail: "No document 5 in a project you are a member of." }) };
};
const target = new EventTarget();
const states = [];
target.addEventListener("argmap:live-status", (event) => states.push([event.detail.state, event.detail.message ?? null]));
const live = startLive({ documentId: 5, cursor: 5, target, intervalMs: 5, fetchImpl });
await new Promise((resolve) => setTimeout(resolve, 100));
live.stop();
console.log(JSON.stringify({ urls, states }));
"""


@needs_node
def test_live_js_stops_when_the_document_is_gone(tmp_path):
    """A 404 (removed from the project, document deleted) is said once as "gone" and polling stops."""
    out = run_module_script(tmp_path, GONE_SCRIPT, LIVE_JS)
    assert out["urls"] == ["/api/documents/5/changes/?since=5"]
    assert out["states"] == [["gone", "No document 5 in a project you are a member of."]]
