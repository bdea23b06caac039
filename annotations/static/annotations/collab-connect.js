/**
 * Connects the collaboration features to the document page once the workspace is ready:
 * live updates of the person's own layer (other tabs and devices), comment threads in the
 * span panel, and checkboxes that show other people's layers (and the consensus) as
 * overlays, each in its own marker style. Markup: the [data-layer-toggles] list in
 * templates/annotations/document_detail.html; layers come from the page data.
 */
import { connectCollaboration } from "./collab-plugin.js";

function start({ store }) {
  const pageData = JSON.parse(document.getElementById("page-data").textContent);
  const collab = connectCollaboration(store, {
    documentId: pageData.document.id,
    cursor: pageData.changes_cursor,
    ownLayerId: pageData.layer,
    username: pageData.user.username,
  });
  const list = document.querySelector("[data-layer-toggles]");
  if (!list) return;
  const others = pageData.layers.filter((layer) => layer.id !== pageData.layer);
  if (!others.length) {
    list.append(Object.assign(document.createElement("li"), { className: "muted", textContent: "No other layers yet." }));
    return;
  }
  for (const layer of others) {
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
    list.append(item);
  }
}

const root = document.querySelector("[data-workspace]");
if (root) {
  if (root.argmapWorkspace) start(root.argmapWorkspace);
  else root.addEventListener("argmap:ready", (event) => start(event.detail), { once: true });
}
