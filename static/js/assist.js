// Reading assistance: margin markers beside check-worthy sentences (drawn
// from the "Suggested claims" list the server renders), and the Accept /
// Change buttons of the claimant guess in the claim panel.

const BODY = "article-body";

// A code-point offset into the body as a DOM point: each rendered piece
// carries its own code-point start.
function domPoint(root, offset) {
  let piece = null;
  for (const candidate of root.querySelectorAll("[data-start]")) {
    if (Number(candidate.dataset.start) <= offset) piece = candidate;
    else break;
  }
  const node = piece?.firstChild;
  if (!node || node.nodeType !== Node.TEXT_NODE) return null;
  let units = 0;
  let points = Number(piece.dataset.start);
  for (const character of node.data) {
    if (points >= offset) break;
    points += 1;
    units += character.length;
  }
  return { node, index: Math.min(units, node.data.length) };
}

function sentenceRange(root, start, end) {
  const from = domPoint(root, start);
  const to = domPoint(root, end);
  if (!from || !to) return null;
  const range = document.createRange();
  range.setStart(from.node, from.index);
  range.setEnd(to.node, to.index);
  return range;
}

function selectSentence(start, end) {
  const root = document.getElementById(BODY);
  const range = root && sentenceRange(root, start, end);
  if (!range) return;
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function drawMarkers() {
  const hints = document.getElementById("reading-hints");
  const root = document.getElementById(BODY);
  const frame = root?.closest(".workspace");
  if (!hints || !root || !frame) return;
  hints.querySelector(".hint-markers")?.remove();
  if (hints.dataset.hints !== "on") return;
  const layer = document.createElement("div");
  layer.className = "hint-markers";
  const origin = frame.getBoundingClientRect();
  const left = root.getBoundingClientRect().left - origin.left;
  for (const item of hints.querySelectorAll("li[data-start]")) {
    const start = Number(item.dataset.start);
    const end = Number(item.dataset.end);
    const first = domPoint(root, start);
    if (!first) continue;
    const probe = document.createRange();
    probe.setStart(first.node, first.index);
    probe.setEnd(first.node, Math.min(first.index + 1, first.node.data.length));
    const rect = probe.getClientRects()[0] || probe.getBoundingClientRect();
    const score = Math.round(Number(item.dataset.score) * 100);
    const marker = document.createElement("button");
    marker.type = "button";
    marker.className = "hint-marker";
    marker.textContent = "●";
    marker.setAttribute("aria-label", `Worth checking (${score}): ${item.dataset.reasons}`);
    marker.title = `Worth checking (${score}/100): ${item.dataset.reasons}`;
    marker.dataset.start = String(start);
    marker.dataset.end = String(end);
    marker.style.top = `${rect.top - origin.top}px`;
    marker.style.left = `${Math.max(0, left - 22)}px`;
    layer.append(marker);
  }
  hints.append(layer);
}

function claimantInput(button) {
  const id = button.closest("[data-claimant-input]")?.dataset.claimantInput;
  return id ? document.getElementById(id) : null;
}

function onClick(event) {
  const marker = event.target.closest(".hint-marker");
  if (marker) {
    selectSentence(Number(marker.dataset.start), Number(marker.dataset.end));
    return;
  }
  const change = event.target.closest("[data-claimant-change]");
  if (change) {
    const input = claimantInput(change);
    input?.focus();
    input?.select();
    return;
  }
  const accept = event.target.closest("[data-claimant-value]");
  if (accept) {
    const input = claimantInput(accept);
    if (!input) return;
    input.value = accept.dataset.claimantValue;
    input.form.requestSubmit();
  }
}

let pending = 0;
function redrawSoon() {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(drawMarkers);
}

function init() {
  document.addEventListener("click", onClick);
  document.addEventListener("htmx:afterSettle", redrawSoon);
  window.addEventListener("resize", redrawSoon);
  redrawSoon();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
