// Unit tests for annotations/static/annotations/workspace/store.js with a fake API (run: node --test tests/js/).
import test from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../annotations/static/annotations/workspace/store.js";
import { ApiError } from "../../annotations/static/annotations/api.js";

const TEXT = "Cats 😀 are better pets than dogs.";

function pageData() {
  return {
    document: { id: 1, title: "T" }, project: { slug: "p", labels: ["claim", "evidence", "counterclaim"] }, layer: 5,
    paragraphs: [{ id: 10, position: 0, kind: "body", text: TEXT }],
    annotations: [{ id: 100, paragraph: 10, start: 0, end: 4, quote: "Cats", label: "claim", note: "", version: 1 }],
    relations: [],
  };
}

/** A fake API: answers from `script` (a list of functions or errors) in order, records calls. */
function fakeApi(script = []) {
  const calls = [];
  let nextId = 200;
  const api = async (method, path, body) => {
    calls.push({ method, path, body });
    const step = script.shift();
    if (step instanceof ApiError) throw step;
    if (typeof step === "function") return step(method, path, body);
    if (method === "POST" && path === "annotations/") return { id: nextId++, version: 1, ...body };
    if (method === "POST" && path === "relations/") return { id: nextId++, ...body };
    if (method === "PATCH") return { id: Number(path.split("/")[1]), version: body.version + 1 };
    return null;
  };
  return { api, calls };
}

function settled(store) {
  return new Promise((resolve) => {
    const check = () => (store.pendingCount === 0 ? resolve() : setTimeout(check, 5));
    check();
  });
}

test("a new span gets its quote from code-point offsets and its server id once saved", async () => {
  const { api, calls } = fakeApi();
  const store = new Store(pageData(), { api });
  const key = store.createAnnotation({ paragraph: 10, start: 5, end: 10, label: "evidence" });
  assert.equal(store.annotations.get(key).quote, "😀 are");
  await settled(store);
  assert.deepEqual(calls[0].body, { paragraph: 10, start: 5, end: 10, quote: "😀 are", label: "evidence", note: "" });
  assert.equal(store.serverId(key), 200);
});

test("a link made before its span is saved is sent with the span's server id", async () => {
  const { api, calls } = fakeApi();
  const store = new Store(pageData(), { api });
  const evidence = store.createAnnotation({ paragraph: 10, start: 7, end: 17, label: "evidence" });
  store.createRelation({ source: evidence, target: "a100", kind: "supports" });
  await settled(store);
  assert.deepEqual(calls[1], { method: "POST", path: "relations/", body: { source: 200, target: 100, kind: "supports" } });
});

test("a transient failure keeps the change pending, shows failed, and retries", async () => {
  const { api, calls } = fakeApi([new ApiError(503, { detail: "Down." })]);
  const store = new Store(pageData(), { api });
  const states = [];
  store.addEventListener("save:state", (event) => states.push(event.detail.state));
  store.createAnnotation({ paragraph: 10, start: 7, end: 10, label: "claim" });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(store.pendingCount, 1);
  assert.ok(states.includes("failed"));
  store.retryNow();
  await settled(store);
  assert.equal(calls.length, 2);
  assert.equal(states.at(-1), "saved");
});

test("a refused change is rolled back and explained", async () => {
  const { api } = fakeApi([new ApiError(400, { detail: "Label 'x' is not used in this project." })]);
  const store = new Store(pageData(), { api });
  const key = store.createAnnotation({ paragraph: 10, start: 7, end: 10, label: "claim" });
  await settled(store);
  assert.equal(store.annotations.has(key), false);
  assert.match(store.problems[0], /not used in this project/);
});

test("undoing a delete restores the span and its links under the same keys", async () => {
  const { api, calls } = fakeApi();
  const store = new Store(pageData(), { api });
  const evidence = store.createAnnotation({ paragraph: 10, start: 7, end: 17, label: "evidence" });
  const link = store.createRelation({ source: evidence, target: "a100", kind: "supports" });
  await settled(store);
  store.deleteAnnotation("a100");
  assert.equal(store.relations.size, 0);
  store.undo();
  assert.equal(store.annotations.get("a100").quote, "Cats");
  assert.equal(store.relations.get(link).target, "a100");
  await settled(store);
  const paths = calls.map((call) => `${call.method} ${call.path}`);
  assert.deepEqual(paths.slice(2), ["DELETE annotations/100/", "POST annotations/", "POST relations/"]);
  assert.equal(calls.at(-1).body.target, store.serverId("a100"));
});

test("an update sends the version last seen, and undo puts the old label back", async () => {
  const { api, calls } = fakeApi();
  const store = new Store(pageData(), { api });
  store.updateAnnotation("a100", { label: "counterclaim" });
  await settled(store);
  assert.deepEqual(calls[0].body, { label: "counterclaim", version: 1 });
  store.undo();
  await settled(store);
  assert.deepEqual(calls[1].body, { label: "claim", version: 2 });
  assert.equal(store.annotations.get("a100").label, "claim");
});

test("completing a link on the span it starts from keeps linking and makes no relation", async () => {
  const { api, calls } = fakeApi();
  const store = new Store(pageData(), { api });
  const other = store.createAnnotation({ paragraph: 10, start: 12, end: 18, label: "evidence" });
  const said = [];
  store.addEventListener("pick:same", () => said.push("same"));
  store.startPick(other, "supports", "keyboard");
  assert.equal(store.completePick(other), null);
  assert.deepEqual(said, ["same"]);
  assert.ok(store.pick, "still linking");
  assert.ok(store.completePick("a100"));
  await settled(store);
  assert.equal([...store.relations.values()].length, 1);
  assert.equal(calls.filter((call) => call.path === "relations/").length, 1);
});
