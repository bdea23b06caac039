/**
 * The collaboration plugin of the document page (registered with workspace/plugins.js):
 * live updates of the person's own layer (other tabs and devices), comment threads in the
 * span panel, and checkboxes that show other people's layers (and the consensus) as
 * overlays, each in its own marker style. Markup: the [data-layer-toggles] list in
 * templates/annotations/document_detail.html; layers come from the page data.
 */
import { connectCollaboration } from "./collab-plugin.js";
import { registerPlugin } from "./workspace/plugins.js";

function start({ store, pageData, root }) {
  const collab = connectCollaboration(store, {
    documentId: pageData.document.id,
    cursor: pageData.changes_cursor,
    ownLayerId: pageData.layer,
    username: pageData.user.username,
  });
  const list = root.querySelector("[data-layer-toggles]");
  if (!list) return collab;
  const others = pageData.layers.filter((layer) => layer.id !== pageData.layer);
  if (!others.length) {
    list.append(Object.assign(document.createElement("li"), { className: "muted", textContent: "No other layers yet." }));
    return collab;
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
  return collab;
}

registerPlugin("collaboration", start);
