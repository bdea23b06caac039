/**
 * upload.js — upload several articles one at a time through the API (api.js's client), with a
 * progress bar and a summary. Without JavaScript the form posts all files at once and the
 * server renders the summary.
 */
import { makeClient } from "./api.js";

const form = document.querySelector("[data-upload-form]");

const OUTCOME = { imported: "Imported", skipped: "Skipped", failed: "Failed" };

/** One line per file, worded as the server's upload result page words it (upload_result.html):
 * "name: reason" for a skipped or failed file, "title (name)" for an imported one. */
function report(list, name, outcome, message, documentId = null) {
  const item = document.createElement("li");
  item.className = outcome;
  item.dataset.outcome = outcome;
  const badge = document.createElement("span");
  badge.className = `outcome outcome-${outcome}`;
  badge.textContent = OUTCOME[outcome];
  item.append(badge, " ");
  if (outcome === "imported") {
    const link = document.createElement("a");
    link.href = `/d/${documentId}/`;
    link.textContent = message || name;
    item.append(link, ` (${name})`);
  } else {
    const strong = document.createElement("strong");
    strong.textContent = name;
    const reason = document.createElement("span");
    reason.dataset.reason = "";
    reason.textContent = message;
    item.append(strong, ": ", reason);
  }
  list.append(item);
}

const request = makeClient();

async function uploadAll(event) {
  event.preventDefault();
  const files = [...form.querySelector("input[type=file]").files];
  if (!files.length) return;
  const progressBox = form.querySelector("[data-upload-progress]");
  const bar = progressBox.querySelector("progress");
  const status = progressBox.querySelector("[data-upload-status]");
  const results = form.querySelector("[data-upload-results]");
  results.replaceChildren();
  progressBox.hidden = false;
  bar.max = files.length;
  bar.value = 0;
  const counts = { imported: 0, skipped: 0, failed: 0 };
  for (const file of files) {
    status.textContent = `Uploading ${file.name} (${bar.value + 1} of ${files.length})`;
    const body = new FormData();
    body.append("project", form.dataset.project);
    body.append("file", file);
    try {
      const data = await request("POST", form.dataset.apiUrl, body);
      counts.imported += 1;
      report(results, file.name, "imported", data && data.title, data && data.id);
    } catch (error) {
      if (error.status === 409) { counts.skipped += 1; report(results, file.name, "skipped", error.message); }
      else { counts.failed += 1; report(results, file.name, "failed", error.message); }
    }
    bar.value += 1;
  }
  status.textContent = `${counts.imported} imported, ${counts.skipped} skipped, ${counts.failed} failed`;
  if (counts.imported) {
    const reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = " Show the documents";
    status.append(reload);
  }
}

if (form) form.addEventListener("submit", uploadAll);
