// The reader's behaviour: turn a text selection in the article (headline,
// standfirst, captions or body) into a claim, link highlights with the claim
// list, and move between claims with j/k. Loaded as a module; no inline
// scripts or handlers (the CSP forbids them).

// Each part of the text is an element with data-part; offsets count within it.
const PART = ".anchor-root[data-part]";

// The model counts code points; DOM offsets count UTF-16 units.
function codePoints(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

// A DOM boundary point inside the body as a code-point offset into the body.
// Each rendered piece carries its own code-point start, so the common case
// counts only within one text node; elsewhere (between paragraphs, element
// boundaries) the text before the point is measured, which the server's
// rendering guarantees to equal the body's prefix.
function offsetOf(root, node, offset) {
  if (node.nodeType === Node.TEXT_NODE) {
    const piece = node.parentElement;
    if (piece && piece.dataset.start !== undefined && piece.childNodes.length === 1) {
      return Number(piece.dataset.start) + codePoints(node.data.slice(0, offset));
    }
  }
  const before = document.createRange();
  before.setStart(root, 0);
  before.setEnd(node, offset);
  return codePoints(before.toString());
}

function partOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element ? element.closest(PART) : null;
}

// A selection within one part; one spanning two parts is not a claim.
function selectionInText() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const root = partOf(range.startContainer);
  if (!root || partOf(range.endContainer) !== root) return null;
  const quote = range.toString();
  if (!quote.trim()) return null;
  return {
    part: root.dataset.part,
    start: offsetOf(root, range.startContainer, range.startOffset),
    end: offsetOf(root, range.endContainer, range.endOffset),
    quote,
    range,
  };
}

function placeMarkForm(form, range) {
  form.hidden = false;
  const rects = range.getClientRects();
  const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
  const parent = form.offsetParent || document.body;
  const origin = parent.getBoundingClientRect();
  const width = form.offsetWidth;
  const left = Math.min(rect.right - origin.left + 4, parent.clientWidth - width - 4);
  form.style.left = `${Math.max(0, left)}px`;
  form.style.top = `${rect.bottom - origin.top + 6}px`;
}

// Forms that act on the current selection (re-attaching an orphan) carry
// it in hidden fields and are enabled only while there is one.
function fillSelectionForms(selected) {
  for (const form of document.querySelectorAll("form.selection-form")) {
    if (form.contains(document.activeElement) && !selected) continue;
    for (const name of ["part", "start", "end", "quote"]) {
      form.elements[name].value = selected ? selected[name] : "";
    }
    form.querySelector("button").disabled = !selected;
  }
}

function onSelectionChange() {
  const selected = selectionInText();
  fillSelectionForms(selected);
  const form = document.getElementById("mark-form");
  if (!form) return;
  if (!selected) {
    // Keep the button while it has focus: tabbing to it must not lose it.
    if (!form.contains(document.activeElement)) form.hidden = true;
    return;
  }
  form.elements.part.value = selected.part;
  form.elements.start.value = selected.start;
  form.elements.end.value = selected.end;
  form.elements.quote.value = selected.quote;
  placeMarkForm(form, selected.range);
}

function claimLinks() {
  return [...document.querySelectorAll("#claim-list a[data-claim-id]")];
}

// Reflect the claim shown in the panel in the list and the highlights.
function showSelected(id) {
  for (const link of claimLinks()) {
    if (link.dataset.claimId === id) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
  let first = null;
  for (const mark of document.querySelectorAll(`${PART} mark[data-claims]`)) {
    const on = Boolean(id) && mark.dataset.claims.split(" ").includes(id);
    mark.classList.toggle("selected", on);
    if (on && !first) first = mark;
  }
  return first;
}

function panelClaimId() {
  return document.getElementById("claim-panel")?.dataset.claimId || "";
}

// The claim the editor asked for last; the panel may still show an older
// one while the request is under way (fast j/k presses).
let wanted = null;

function openClaim(id, { focus = false } = {}) {
  const link = claimLinks().find((candidate) => candidate.dataset.claimId === id);
  if (!link) return;
  if (focus) link.focus();
  link.click();
}

function onClick(event) {
  const link = event.target.closest("#claim-list a[data-claim-id]");
  if (link) {
    wanted = link.dataset.claimId;
    showSelected(wanted);
    return;
  }
  const mark = event.target.closest(`${PART} mark[data-claims]`);
  if (!mark) return;
  // The end of a drag that selected text is not a click on a highlight.
  if (!document.getSelection().isCollapsed) return;
  // The innermost claim comes first.
  openClaim(mark.dataset.claims.split(" ")[0]);
}

function onKeyDown(event) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key !== "j" && event.key !== "k") return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const links = claimLinks();
  if (!links.length) return;
  event.preventDefault();
  const current = links.findIndex((link) => link.getAttribute("aria-current") === "true");
  const step = event.key === "j" ? 1 : -1;
  let next = current === -1 ? (step === 1 ? 0 : links.length - 1) : current + step;
  next = Math.max(0, Math.min(links.length - 1, next));
  if (next === current) return;
  openClaim(links[next].dataset.claimId, { focus: true });
}

function onSettle(event) {
  const shown = panelClaimId();
  if (wanted === shown) wanted = null;
  const first = showSelected(wanted || shown);
  if (event?.detail?.target?.id === "claim-panel" && first) {
    first.scrollIntoView({ block: "nearest" });
  }
}

function onAfterRequest(event) {
  const form = document.getElementById("mark-form");
  if (!form || event.detail.elt !== form) return;
  wanted = null;
  // 422 and 409 answers are swapped too (base.html), so look at the status.
  if (event.detail.xhr.status < 300) {
    form.hidden = true;
    document.getSelection().removeAllRanges();
    document.getElementById("mark-status").replaceChildren();
  }
}

function init() {
  // htmx copies "style" from the old element onto the new one when it
  // settles a swap; under the strict CSP that setAttribute is blocked (and
  // reported), so settle only the other attributes.
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
  document.addEventListener("selectionchange", onSelectionChange);
  document.addEventListener("click", onClick);
  document.addEventListener("keydown", onKeyDown);
  document.addEventListener("htmx:afterSettle", onSettle);
  document.addEventListener("htmx:afterRequest", onAfterRequest);
  // Pressing the button must not collapse the selection it is about.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("#mark-button, form.selection-form button")) event.preventDefault();
  });
  showSelected(panelClaimId());
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
