/**
 * The collaboration plugin of the document page (registered with workspace/plugins.js):
 * live updates of the person's own layer (other tabs and devices), comment threads in the
 * span panel, and checkboxes that show other people's layers (and the consensus) as
 * overlays, each in its own marker style. Markup: the [data-layer-toggles] list in
 * templates/annotations/document_detail.html; layers come from the page data, and layers made
 * while the page is open (a colleague's first span) are added when the live feed brings them.
 */
import { connectCollaboration } from "./collab-plugin.js";
import { registerPlugin } from "./workspace/plugins.js";

const GONE = "You no longer have access to this document (you were removed from its project, or it was deleted), "
  + "so nothing more is saved here. Your layer is kept: ask the project's owner for a new invitation, or reload to see your projects.";

function start({ store, pageData, root, showTab }) {
  const collab = connectCollaboration(store, {
    documentId: pageData.document.id,
    cursor: pageData.changes_cursor,
    ownLayerId: pageData.layer,
    layers: pageData.layers,
    username: pageData.user.username,
    canComment: pageData.user.role !== "viewer",
  });
  // A colleague's mark clicked where the person has no span of their own: the Span panel shows
  // that span (whose, what, its words) and its comment thread.
  store.addEventListener("overlay:activated", (event) => {
    const { name, key, span } = event.detail;
    if (span || !name || !name.startsWith("layer-")) return;
    const panel = root.querySelector("[data-inspector]");
    if (!panel) return;
    if (store.selectedKey) store.select(null, "overlay");
    if (collab.showOverlaySpan(name.slice("layer-".length), key, panel)) showTab?.("span");
  });
  // The feed answers 404 once the person can no longer see the document (removed from the
  // project mid-session, or the document deleted): say so where the tagging buttons are, and
  // refuse further changes here with that reason rather than letting each save fail.
  document.addEventListener("argmap:live-status", (event) => {
    if (event.detail.state !== "gone") return;
    store.readOnly = GONE;
    const toolbar = root.querySelector("[data-toolbar]");
    if (toolbar && !toolbar.querySelector("[data-access-lost]")) {
      const note = Object.assign(document.createElement("p"), { className: "toolbar-locked", textContent: GONE });
      note.dataset.accessLost = "";
      note.setAttribute("role", "alert");
      toolbar.querySelector("[data-save-status]")?.before(note);
    }
    for (const button of root.querySelectorAll("[data-tag-label], [data-undo]")) button.disabled = true;
  });
  const list = root.querySelector("[data-layer-toggles]");
  if (!list) return collab;
  const empty = Object.assign(document.createElement("li"), { className: "muted", textContent: "No other layers yet." });
  empty.dataset.noLayers = "";

  function addToggle(layer) {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.layerToggle = String(layer.id);
    box.addEventListener("change", async () => {
      box.disabled = true;
      try {
        if (box.checked) await collab.showLayer(layer.id);
        else collab.hideLayer(layer.id);
      } catch (failure) {
        box.checked = false;
        label.title = `Could not load this layer: ${failure.message}`;
      } finally {
        box.disabled = false;
      }
    });
    const kind = layer.kind === "personal" ? "" : ` (${layer.kind.replace("_", " ")})`;
    label.append(box, document.createTextNode(` ${layer.name}${kind}`));
    item.append(label);
    empty.remove();
    list.append(item);
  }

  const others = pageData.layers.filter((layer) => layer.id !== pageData.layer);
  if (others.length) others.forEach(addToggle);
  else list.append(empty);
  // A colleague's first span (or the consensus's) makes a layer while the page is open: its
  // checkbox appears then, without a reload.
  collab.addEventListener("layers", (event) => event.detail.added.forEach(addToggle));
  return collab;
}

registerPlugin("collaboration", start);
