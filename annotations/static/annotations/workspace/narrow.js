/**
 * Narrow screens (the layout switches at 760 px, as in workspace.css): the text and the
 * argument map become two tabs instead of the map coming after the whole text. The switch
 * is the [data-view-switch] tablist of document_detail.html; the chosen view is kept in the
 * workspace's data-view attribute ("text" or "map"), which the stylesheet reads. On wide
 * screens the tab roles are taken off again and both are shown side by side.
 *
 * Showing the map tells Cytoscape its new size and fits the graph; tapping a node on the
 * map tab goes back to the text, scrolled to that span (the selection itself is the map's).
 */
const root = document.querySelector("[data-workspace]");
const switcher = root?.querySelector("[data-view-switch]");
const narrow = window.matchMedia("(max-width: 760px)");

function panelOf(tab) {
  return document.getElementById(tab.getAttribute("aria-controls"));
}

function mapInstance() {
  return root.querySelector("[data-map]")?.argmapCy || null;
}

function show(view, { focus = false } = {}) {
  root.dataset.view = view;
  for (const tab of switcher.querySelectorAll("[role=tab]")) {
    const selected = tab.dataset.view === view;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
  }
  if (view === "map") {
    const cy = mapInstance();
    if (cy) {
      cy.resize();
      if (cy.nodes().length) cy.fit(cy.nodes(), 16);
    }
  } else {
    const selected = root.querySelector("[data-paragraphs] .mark.is-selected");
    if (selected) selected.scrollIntoView({ block: "center" });
  }
}

function applyLayout() {
  const tabs = [...switcher.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    const panel = panelOf(tab);
    if (!panel) continue;
    if (narrow.matches) {
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
    } else if (panel.getAttribute("role") === "tabpanel") {
      panel.removeAttribute("role");
      panel.removeAttribute("aria-labelledby");
    }
  }
  if (narrow.matches) show(root.dataset.view || "text");
  else {
    const cy = mapInstance();
    if (cy) cy.resize();
  }
}

if (root && switcher) {
  root.classList.add("has-view-switch");
  const tabs = [...switcher.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => show(tab.dataset.view));
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      event.preventDefault();
      const index = (tabs.indexOf(tab) + 1) % tabs.length; // two tabs: either arrow goes to the other
      show(tabs[index].dataset.view, { focus: true });
    });
  }
  narrow.addEventListener("change", applyLayout);
  applyLayout();
  // The map is built after the text (main.js); it says so with data-map-ready.
  const mapElement = root.querySelector("[data-map]");
  let watched = false;
  const watchMap = () => {
    const cy = mapInstance();
    if (watched || !cy) return;
    watched = true;
    cy.on("tap", "node", () => {
      if (narrow.matches && root.dataset.view === "map") requestAnimationFrame(() => show("text"));
    });
    if (narrow.matches && root.dataset.view === "map") show("map");
  };
  if (mapElement) {
    new MutationObserver(watchMap).observe(mapElement, { attributes: true, attributeFilter: ["data-map-ready"] });
    watchMap();
  }
}
