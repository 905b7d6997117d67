// Live updates. An element with data-live polls "what changed since the
// version I show" (hx-get …/changes/?since=N, hx-trigger "every 3s"); the
// server answers 204 while nothing did. This module keeps those polls from
// getting in a person's way: none while the tab is hidden, no swap while
// they select text or type in the area that would be replaced (the poll
// keeps its old version and asks again), and an open claim panel that
// others changed reloads only when nothing typed would be lost; otherwise it
// offers a reload. Imported by app.js, which owns the panel's "nothing typed
// is lost" rules and passes them in.

const PANEL = "claim-panel";
const NOTICE = "live-notice";

let pointerIn = null;
let panelHasUnsaved = () => false;
// The person's own requests from inside the panel that have not answered,
// and when the last one and the last live reload of the panel went out: a
// reload must never land over (or detach the source of) such a request,
// whose answer brings a fresh panel anyway.
const panelRequests = new Set();
let lastActionAt = 0;
let reload = null;

// A poll, or the reload a poll's answer asked for; not a person's own
// change (claimChanged sent by their action), which always goes through.
function isLive(detail) {
  const triggering = detail.requestConfig?.triggeringEvent;
  if (triggering?.detail?.live) return true;
  return Boolean(detail.elt?.hasAttribute?.("data-live")) && triggering?.type !== "claimChanged";
}

// What a live swap would replace: the polled element, or the area it names.
function areaOf(elt) {
  const selector = elt?.dataset?.liveArea;
  return (selector && document.querySelector(selector)) || elt;
}

function inside(area, node) {
  return Boolean(area && node && area.contains(node));
}

function typing(area) {
  const active = document.activeElement;
  return inside(area, active) && active.matches("input, textarea, select, [contenteditable]");
}

function changedControls(area) {
  for (const field of area.querySelectorAll("input, textarea, select")) {
    if (field.type === "hidden" || field.disabled) continue;
    if (field.type === "checkbox" || field.type === "radio") {
      if (field.checked !== field.defaultChecked) return true;
    } else if (field instanceof HTMLSelectElement) {
      if ([...field.options].some((option) => option.selected !== option.defaultSelected)) {
        const first = field.options[0];
        // Nothing marked selected shows the first option: not a change.
        if (!(field.selectedIndex === 0 && first && !first.defaultSelected)) return true;
      }
    } else if (field.value !== field.defaultValue) {
      return true;
    }
  }
  return false;
}

// The person is doing something a swap of ``area`` would undo.
function busy(area) {
  if (!area) return false;
  if (pointerIn && inside(area, pointerIn)) return true;
  const selection = document.getSelection();
  if (
    selection &&
    !selection.isCollapsed &&
    (inside(area, selection.anchorNode) || inside(area, selection.focusNode))
  ) {
    return true;
  }
  return typing(area) || changedControls(area);
}

function onBeforeRequest(event) {
  if (!isLive(event.detail)) return;
  if (document.visibilityState === "hidden") {
    event.preventDefault();
    return;
  }
  // The area a poll's answer would replace; a reload asked for by an
  // answer is checked when it answers.
  if (event.detail.elt?.hasAttribute?.("data-live") && busy(areaOf(event.detail.elt))) {
    event.preventDefault();
  }
}

function onBeforeSwap(event) {
  if (isLiveReload(event.detail)) {
    const overtaken = panelRequests.size > 0 || lastActionAt > reload.at;
    reload = null;
    if (overtaken) {
      event.detail.shouldSwap = false;
      return;
    }
  }
  if (!isLive(event.detail)) return;
  // Only a fresh version replaces what is shown: never an error page (a
  // lapsed session answers 403), never over a selection or typing.
  if (event.detail.xhr.status !== 200 || busy(areaOf(event.detail.target))) {
    event.detail.shouldSwap = false;
  }
}

function newestEvents(elt) {
  const newest = new Map();
  for (const pair of (elt.dataset.liveClaims || "").split(" ")) {
    const [id, last] = pair.split(":");
    if (id && last) newest.set(id, Number(last));
  }
  return newest;
}

function reloadPanel(panel, source) {
  if (source === panel) reload = { url: panel.dataset.url, at: performance.now() };
  window.htmx.ajax("GET", panel.dataset.url, { source, target: panel, swap: "outerHTML" });
}

// The answer to a reload that a poll started (not one the person asked for).
function isLiveReload(detail) {
  const panel = document.getElementById(PANEL);
  return (
    Boolean(reload && panel) &&
    detail.elt === panel &&
    detail.requestConfig?.verb === "get" &&
    detail.requestConfig?.path === reload.url
  );
}

function onBeforeSend(event) {
  const panel = document.getElementById(PANEL);
  const { elt, xhr } = event.detail;
  // A step the person takes (a POST from a form or button in the panel);
  // the panel's sections that load themselves are not steps.
  if (event.detail.requestConfig?.verb === "get") return;
  if (!panel || elt === panel || !inside(panel, elt) || isLive(event.detail)) return;
  lastActionAt = performance.now();
  panelRequests.add(xhr);
  // Not htmx:afterRequest: it is dispatched on the source, which a swap may
  // have taken out of the document by then.
  xhr.addEventListener("loadend", () => panelRequests.delete(xhr));
}

function offerReload(panel) {
  if (panel.querySelector(`.${NOTICE}`)) return;
  const notice = document.createElement("p");
  notice.className = NOTICE;
  notice.setAttribute("role", "status");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = "Reload panel";
  button.addEventListener("click", () => reloadPanel(panel, button));
  notice.append("This claim was changed by someone else. ", button);
  const heading = panel.querySelector("h2");
  if (heading) heading.after(notice);
  else panel.prepend(notice);
}

// Others changed the claim in the open panel: show it, unless the person
// is in the middle of something there.
function refreshPanel(newest) {
  const panel = document.getElementById(PANEL);
  const id = panel?.dataset.claimId;
  if (!id || !panel.dataset.url) return;
  const last = newest.get(id);
  if (!last || last <= Number(panel.dataset.lastEvent || 0)) return;
  // The person's own step is under way: its answer shows the claim as it is.
  if (panelRequests.size > 0) return;
  if (panelHasUnsaved() || typing(panel) || panel.classList.contains("htmx-request")) {
    offerReload(panel);
  } else {
    reloadPanel(panel, panel);
  }
}

function onAfterSettle(event) {
  // Dispatched on the element swapped in (the polled one is gone).
  const elt = event.target;
  if (!elt?.hasAttribute?.("data-live") || !elt.dataset.liveClaims) return;
  refreshPanel(newestEvents(elt));
}

function onPointerDown(event) {
  pointerIn = event.target;
}

function onPointerUp() {
  pointerIn = null;
}

// A reload of the open panel that live updates started (or offered): the
// same claim, so nothing needs confirming and nothing should scroll.
export function isPanelRefresh(elt) {
  return Boolean(elt) && (elt.id === PANEL || Boolean(elt.closest?.(`.${NOTICE}`)));
}

export function startLive({ hasUnsaved }) {
  panelHasUnsaved = hasUnsaved;
  document.addEventListener("htmx:beforeRequest", onBeforeRequest);
  document.addEventListener("htmx:beforeSend", onBeforeSend);
  document.addEventListener("htmx:beforeSwap", onBeforeSwap);
  document.addEventListener("htmx:afterSettle", onAfterSettle);
  document.addEventListener("pointerdown", onPointerDown, true);
  document.addEventListener("pointerup", onPointerUp, true);
  document.addEventListener("pointercancel", onPointerUp, true);
}
