/**
 * The class dashboard, live: every few seconds it asks the dashboard endpoint
 * ([data-dashboard][data-url]) and redraws the status counts, the students' rows and the heat
 * map from the answer (text through textContent only). Stops polling while the tab is hidden.
 * Requests go through the one API client (api.js).
 */
import { makeClient } from "./api.js";

const POLL_MS = 3000;
const request = makeClient();

function percent(value) {
  return `${Math.round(value * 100)} %`;
}

function heatLevel(value) {
  return Math.min(4, Math.ceil(value * 4));
}

export function redraw(root, data) {
  for (const [status, count] of Object.entries(data.counts)) {
    const node = root.querySelector(`[data-count="${status.replace(/\s+/g, "-")}"]`);
    if (node) node.textContent = String(count);
  }
  const mean = root.querySelector("[data-mean-score]");
  if (mean) mean.textContent = data.mean_score === null ? "—" : `${data.mean_score} %`;
  const body = root.querySelector("[data-students]");
  if (body) {
    const rows = data.students.map((student) => {
      const row = document.createElement("tr");
      row.dataset.student = student.username;
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = student.username;
      row.append(name);
      const score = student.score === null ? "—" : `${student.score} %` + (student.computed_score !== null && student.computed_score !== student.score ? ` (computed ${student.computed_score})` : "");
      for (const [field, text] of [["status", student.status], ["attempt", student.attempt || "—"], ["spans", student.spans], ["score", score]]) {
        const cell = document.createElement("td");
        cell.dataset.field = field;
        cell.textContent = String(text);
        row.append(cell);
      }
      const review = document.createElement("td");
      review.dataset.field = "review";
      if (student.submission) {
        const link = document.createElement("a");
        link.href = `${location.pathname.replace(/dashboard\/$/, "")}submissions/${student.submission}/`;
        link.dataset.reviewLink = "";
        link.textContent = `${student.username}'s map beside the key`;
        review.append(link);
      }
      row.append(review);
      return row;
    });
    if (rows.length) body.replaceChildren(...rows);
  }
  const heat = root.querySelectorAll("[data-heat-map] [data-sentence]");
  data.heat_map.forEach((sentence, index) => {
    const row = heat[index];
    if (!row) return;
    for (const [label, share] of Object.entries(sentence.shares)) {
      const cell = row.querySelector(`[data-share="${label}"]`);
      if (!cell) continue;
      cell.textContent = percent(share);
      cell.dataset.value = String(share);
      cell.className = `heat-cell heat-${heatLevel(share)}`;
    }
  });
  const missed = root.querySelector("[data-most-missed]");
  if (missed && data.most_missed.length) {
    const list = document.createElement("ol");
    list.className = "most-missed";
    list.dataset.mostMissed = "";
    for (const entry of data.most_missed) {
      const item = document.createElement("li");
      const quote = entry.key.quote.length > 100 ? `${entry.key.quote.slice(0, 99)}…` : entry.key.quote;
      item.textContent = `“${quote}” (${entry.key.label}): missed by ${entry.missed}, another label by ${entry.wrong_label}` +
        (entry.partial ? `, partly by ${entry.partial}` : "");
      list.append(item);
    }
    missed.replaceWith(list);
  }
  const confusion = root.querySelector("[data-confusion] tbody");
  if (confusion) {
    confusion.replaceChildren(...data.confusion.rows.map((name, index) => {
      const row = document.createElement("tr");
      const head = document.createElement("th");
      head.scope = "row";
      head.textContent = name;
      row.append(head);
      data.confusion.cells[index].forEach((value, column) => {
        const cell = document.createElement("td");
        if (data.confusion.columns[column] === name) cell.className = "diagonal";
        cell.textContent = String(value);
        row.append(cell);
      });
      return row;
    }));
  }
  const agreement = root.querySelector("[data-agreement]");
  if (agreement) {
    agreement.textContent = data.agreement.alpha === null ? "Needs two submitted students."
      : `Krippendorff's α over word labels: ${data.agreement.alpha} (${data.agreement.students} submitted students, ${data.agreement.tokens} words).`;
  }
}

function start(root) {
  for (const cell of root.querySelectorAll(".heat-cell[data-value]")) cell.classList.add(`heat-${heatLevel(Number(cell.dataset.value))}`);
  const state = root.querySelector("[data-live-state]");
  const poll = async () => {
    if (document.visibilityState !== "hidden") {
      try {
        redraw(root, await request("GET", root.dataset.url));
        root.dataset.updatedAt = String(Date.now());
        if (state) state.textContent = `Live: updated ${new Date().toLocaleTimeString()}.`;
      } catch (failure) {
        if (state) state.textContent = `Not updating (${failure.message}); retrying.`;
      }
    }
    setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
}

const root = document.querySelector("[data-dashboard]");
if (root) start(root);
