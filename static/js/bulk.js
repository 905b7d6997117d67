// Bulk bars over claim lists: a list that refreshes itself (the dashboard's
// queues, after each change, the person's own or another's through the
// live poll) waits while claims are ticked
// or the bar has something typed, so that a refresh never drops a selection
// the person is about to act on. Their own actions (sorting, the bar's
// buttons) go through.

function busy(list) {
  const picked = list.querySelector('input[name="claim"]:checked');
  const typed = [...list.querySelectorAll(".bulk-bar input, .bulk-bar textarea")].some(
    (field) => field.value.trim() !== "",
  );
  return Boolean(picked) || typed;
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const list = event.detail.elt;
  if (!(list instanceof HTMLElement) || !list.hasAttribute("data-holds-selection")) return;
  if (event.detail.requestConfig?.verb === "get" && busy(list)) event.preventDefault();
});
