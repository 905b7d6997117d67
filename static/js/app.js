// The reader's behaviour: turn a text selection in the article (headline,
// standfirst, captions or body) into a claim, link highlights with the claim
// list, and move between claims with j/k; and the claim panel's: nothing
// typed is lost when it re-renders, feedback is brought into view. Loaded as
// a module; no inline scripts or handlers (the CSP forbids them).

import "./assist.js";
import { isPanelRefresh, startLive } from "./live.js";
import "./bulk.js";

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

// --- the claim panel ------------------------------------------------------
// Every form in the panel answers with the whole panel. What the person typed
// in the other forms (or in the same one, when it was refused) is carried
// over into the new panel; a second submission while one is under way waits
// for it and then goes out from the new panel, with its fresh version.

const PANEL = "claim-panel";
let carried = null;
// The request sent from the panel and not answered yet, if any.
let panelRequest = null;
let deferred = null;

function panelForms(panel) {
  return [...panel.querySelectorAll("form[aria-label]")];
}

// A form the server sent back refused (data-unsaved) shows values that were
// never stored: all of them count as typed.
function isDirty(field) {
  if (!field.name || field.type === "hidden" || field.disabled) return false;
  if (field.form?.hasAttribute("data-unsaved") && "value" in field && field.tagName !== "BUTTON") {
    return true;
  }
  if (field instanceof HTMLSelectElement) {
    const options = [...field.options];
    // With no option marked selected, a single select shows its first one:
    // that is its rendered value, not a change.
    const rendered = options.some((option) => option.defaultSelected)
      ? options.map((option) => option.defaultSelected)
      : options.map((option, index) => !field.multiple && index === 0);
    return options.some((option, index) => option.selected !== rendered[index]);
  }
  if (field.type === "checkbox" || field.type === "radio") {
    return field.checked !== field.defaultChecked;
  }
  return "defaultValue" in field && field.value !== field.defaultValue;
}

function typedValues(panel) {
  const values = [];
  for (const form of panelForms(panel)) {
    for (const field of form.elements) {
      if (isDirty(field)) {
        values.push({ form: form.getAttribute("aria-label"), name: field.name, value: field.value });
      }
    }
  }
  return values;
}

function hasUnsaved() {
  const panel = document.getElementById(PANEL);
  return Boolean(panel) && typedValues(panel).length > 0;
}

function inPanel(element) {
  return Boolean(element?.closest?.(`#${PANEL}`));
}

function onConfirm(event) {
  const { elt, verb, target } = event.detail;
  if (inPanel(elt) && verb !== "get" && panelRequest) {
    // Sent from a panel that is about to be replaced: send it again from the
    // new one, which carries this person's values and the new version.
    event.preventDefault();
    deferred = elt.closest("form")?.getAttribute("aria-label") || null;
    return;
  }
  // Reloading the claim shown (live updates) carries the typed values over.
  if (verb === "get" && target?.id === PANEL && hasUnsaved() && !isPanelRefresh(elt)) {
    event.preventDefault();
    const leave = window.confirm(
      "This claim has changes you have not saved. Open the other claim and drop them?",
    );
    if (leave) event.detail.issueRequest(true);
  }
}

function onBeforeRequest(event) {
  // Only a request that will replace the panel; a section loading itself
  // (similar claims, an archive's state) leaves the panel as it is.
  if (inPanel(event.detail.elt) && event.detail.target?.id === PANEL) {
    panelRequest = event.detail.xhr;
  }
}

function onBeforeSwap(event) {
  const target = event.detail.target;
  if (!target || target.id !== PANEL) return;
  const sent = event.detail.requestConfig?.elt?.closest?.("form");
  const saved = event.detail.xhr.status < 300 && sent && inPanel(sent);
  const label = saved ? sent.getAttribute("aria-label") : null;
  const active = document.activeElement;
  const activeForm = inPanel(active) ? active.closest("form[aria-label]") : null;
  carried = {
    claimId: target.dataset.claimId || "",
    // Keyboard focus goes back to the same control in the new panel.
    focus: activeForm && {
      form: activeForm.getAttribute("aria-label"),
      name: active.name || "",
      text: active.tagName === "BUTTON" ? active.textContent.trim() : "",
    },
    // What the person just saved is in the new panel already.
    values: typedValues(target).filter((value) => value.form !== label),
    scroll: target.scrollTop,
    failed: event.detail.xhr.status >= 400,
    // A claim opened (not the same one reloaded with others' changes).
    selected:
      (event.detail.requestConfig?.verb === "get" &&
        !isPanelRefresh(event.detail.requestConfig?.elt)) ||
      sent?.id === "mark-form",
  };
}

function restore(panel, values) {
  for (const value of values) {
    const form = panelForms(panel).find((f) => f.getAttribute("aria-label") === value.form);
    const field = form?.elements.namedItem(value.name);
    if (!field || field.type === "hidden" || field instanceof RadioNodeList) continue;
    field.value = value.value;
    field.closest("details")?.setAttribute("open", "");
  }
}

function bringIntoView(element, block) {
  const box = element.getBoundingClientRect();
  const inside = box.top >= 0 && box.bottom <= window.innerHeight;
  if (!inside) element.scrollIntoView({ block });
}

function onPanelSettled(panel) {
  const state = carried;
  carried = null;
  if (!state) return;
  const same = state.claimId !== "" && state.claimId === panel.dataset.claimId;
  if (same) {
    restore(panel, state.values);
    if (!state.selected) panel.scrollTop = state.scroll;
  }
  if (same && state.focus) {
    const form = panelForms(panel).find((f) => f.getAttribute("aria-label") === state.focus.form);
    const control = [...(form?.elements || [])].find((element) =>
      state.focus.text
        ? element.tagName === "BUTTON" && element.textContent.trim() === state.focus.text
        : element.name === state.focus.name,
    );
    control?.focus({ preventScroll: true });
  }
  const alert = panel.querySelector("[role=alert]");
  if (state.failed && alert) {
    alert.scrollIntoView({ block: "center" });
  } else if (state.selected) {
    bringIntoView(panel.querySelector("h2") || panel, "start");
  }
  if (deferred && same) {
    const form = panelForms(panel).find((f) => f.getAttribute("aria-label") === deferred);
    deferred = null;
    form?.requestSubmit();
  }
  deferred = null;
}

function onBeforeUnload(event) {
  if (hasUnsaved()) event.preventDefault();
}

function onSettle(event) {
  const shown = panelClaimId();
  if (wanted === shown) wanted = null;
  const first = showSelected(wanted || shown);
  const panel = document.getElementById(PANEL);
  if (event?.detail?.target?.id !== PANEL || !panel) return;
  // Beside the article (a sticky panel), show the claim's highlight; on a
  // narrow screen the panel sits below the article and comes into view.
  const beside = getComputedStyle(panel).position === "sticky";
  if (first && beside && carried?.selected) first.scrollIntoView({ block: "nearest" });
  onPanelSettled(panel);
}

function onAfterRequest(event) {
  // The new panel, if any, is in place by now. (The element that sent it may
  // have been swapped out, so the request itself is compared.)
  if (event.detail.xhr === panelRequest) panelRequest = null;
  const form = document.getElementById("mark-form");
  if (!form || event.detail.elt !== form) return;
  wanted = null;
  // 422 and 409 answers are swapped too (base.html), so look at the status.
  const status = document.getElementById("mark-status");
  if (event.detail.xhr.status < 300) {
    form.hidden = true;
    document.getSelection().removeAllRanges();
    status.replaceChildren();
    status.classList.remove("floating");
  } else {
    placeMarkStatus(form, status);
  }
}

// A refused mark is told right under the button that was pressed, not at
// the end of the article.
function placeMarkStatus(form, status) {
  status.classList.add("floating");
  const parent = status.offsetParent || document.body;
  const left = Math.min(form.offsetLeft, parent.clientWidth - status.offsetWidth - 4);
  status.style.left = `${Math.max(0, left)}px`;
  status.style.top = `${form.offsetTop + form.offsetHeight + 4}px`;
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
  document.addEventListener("htmx:confirm", onConfirm);
  document.addEventListener("htmx:beforeRequest", onBeforeRequest);
  document.addEventListener("htmx:beforeSwap", onBeforeSwap);
  window.addEventListener("beforeunload", onBeforeUnload);
  startLive({ hasUnsaved });
  // Pressing the button must not collapse the selection it is about.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("#mark-button, form.selection-form button")) event.preventDefault();
  });
  showSelected(panelClaimId());
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
