"""collab-api.js in Node with a fake server: URLs, methods, CSRF header, and errors carrying the server's message."""
from __future__ import annotations

from pathlib import Path

from tests.static.node import needs_node, run_module_script

MODULE = Path(__file__).resolve().parents[2] / "annotations" / "static" / "annotations" / "collab-api.js"

SCRIPT = r"""
globalThis.document = { cookie: "sessionid=x; csrftoken=tok%2B1" };
const collab = await import(process.argv[2]);
const calls = [];
const answers = [
  { status: 200, body: { layers: [{ id: 3 }] } },
  { status: 201, body: { id: 9, mentions: ["b"] } },
  { status: 204, body: null },
  { status: 403, body: { detail: "Viewers can read comments but not write them." } },
];
const fetchImpl = async (url, options) => {
  calls.push([options.method, url, options.headers["X-CSRFToken"] ?? null, options.body ?? null]);
  const answer = answers.shift();
  return { ok: answer.status < 400, status: answer.status, json: async () => answer.body };
};
const out = {};
out.layers = await collab.listLayers(12, { fetchImpl });
out.posted = await collab.postComment(5, "hi @b", { fetchImpl });
out.deleted = await collab.deleteComment(9, { fetchImpl });
try { await collab.setResolved(9, true, { fetchImpl }); } catch (error) { out.error = [error.name, error.status, error.message]; }
out.calls = calls;
out.compare = collab.compareUrl(12, 3, 4);
console.log(JSON.stringify(out));
"""


@needs_node
def test_collab_api_client(tmp_path):
    """Reads are plain GETs; writes send JSON and the CSRF token; a refusal throws with the server's words."""
    out = run_module_script(tmp_path, SCRIPT, MODULE)
    assert out["layers"] == {"layers": [{"id": 3}]} and out["posted"]["id"] == 9 and out["deleted"] is None
    assert out["calls"] == [
        ["GET", "/api/documents/12/layers/", None, None],
        ["POST", "/api/comments/", "tok+1", '{"annotation":5,"body":"hi @b"}'],
        ["DELETE", "/api/comments/9/", "tok+1", None],
        ["PATCH", "/api/comments/9/", "tok+1", '{"resolved":true}'],
    ]
    assert out["error"] == ["ApiError", 403, "Viewers can read comments but not write them."]
    assert out["compare"] == "/d/12/compare/?first=3&second=4"
