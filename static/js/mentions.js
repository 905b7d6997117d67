// @mention autocomplete for comment boxes (textareas with data-mentions,
// whose value is the URL of the people endpoint). Typing "@xy" asks the
// server for editors and reviewers starting with "xy" and shows them in a
// listbox: arrow keys move, Enter or Tab picks, Escape closes, a click picks.
// The pick replaces "@xy" with "@username ". Delegated on the document, so
// boxes that htmx swaps in work too; no inline handlers (the CSP forbids them).

// Django's username characters; a mention starts after none of them.
const TOKEN = /(?:^|[^\w.@+-])@([\w.@+-]{0,150})$/u;
let counter = 0;
let state = null; // {field, list, start, options, active, request}

function tokenBeforeCaret(field) {
  if (field.selectionStart !== field.selectionEnd) return null;
  const before = field.value.slice(0, field.selectionStart);
  const match = TOKEN.exec(before);
  if (!match) return null;
  return { query: match[1], start: field.selectionStart - match[1].length - 1 };
}

function listFor(field) {
  if (!field.id) field.id = `mention-field-${(counter += 1)}`;
  const id = `${field.id}-people`;
  let list = document.getElementById(id);
  if (!list) {
    list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    field.insertAdjacentElement("afterend", list);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", id);
  }
  return list;
}

function close() {
  if (!state) return;
  state.list.hidden = true;
  state.list.replaceChildren();
  state.field.removeAttribute("aria-activedescendant");
  state.request?.abort();
  state = null;
}

function highlight(index) {
  state.active = index;
  state.options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
  const option = state.options[index];
  if (option) {
    state.field.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }
}

function pick(index) {
  const { field, start, options } = state;
  const option = options[index];
  if (!option) return;
  const end = field.selectionStart;
  const inserted = `@${option.dataset.username} `;
  field.value = field.value.slice(0, start) + inserted + field.value.slice(end);
  const caret = start + inserted.length;
  field.setSelectionRange(caret, caret);
  close();
  field.focus();
  // Other listeners (unsaved-changes tracking) see the change as typing.
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

function show(field, token, people) {
  const list = listFor(field);
  list.replaceChildren();
  if (!people.length) {
    close();
    return;
  }
  const options = people.map((person, i) => {
    const option = document.createElement("li");
    option.id = `${list.id}-${i}`;
    option.setAttribute("role", "option");
    option.dataset.username = person.username;
    option.textContent = person.name ? `${person.username} (${person.name})` : person.username;
    list.append(option);
    return option;
  });
  list.hidden = false;
  state = { ...state, field, list, start: token.start, options, active: 0 };
  highlight(0);
}

async function lookup(field) {
  const token = tokenBeforeCaret(field);
  if (!token) {
    close();
    return;
  }
  state?.request?.abort();
  const request = new AbortController();
  state = { ...(state || {}), field, list: listFor(field), request };
  const url = new URL(field.dataset.mentions, window.location.href);
  url.searchParams.set("q", token.query);
  try {
    const response = await fetch(url, {
      signal: request.signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const { results } = await response.json();
    // The caret may have moved on while the answer came.
    if (document.activeElement !== field || !tokenBeforeCaret(field)) return;
    show(field, tokenBeforeCaret(field), results);
  } catch (error) {
    if (error.name !== "AbortError") throw error;
  }
}

document.addEventListener("input", (event) => {
  const field = event.target;
  if (field instanceof HTMLTextAreaElement && field.dataset.mentions) lookup(field);
});

document.addEventListener(
  "keydown",
  (event) => {
    if (!state || state.list.hidden || event.target !== state.field) return;
    const count = state.options.length;
    if (event.key === "ArrowDown") highlight((state.active + 1) % count);
    else if (event.key === "ArrowUp") highlight((state.active - 1 + count) % count);
    else if (event.key === "Enter" || event.key === "Tab") pick(state.active);
    else if (event.key === "Escape") close();
    else return;
    event.preventDefault();
    event.stopPropagation();
  },
  true,
);

// Keep the focus in the box while clicking an option.
document.addEventListener("mousedown", (event) => {
  if (event.target instanceof Element && event.target.closest(".mention-list")) {
    event.preventDefault();
  }
});

document.addEventListener("click", (event) => {
  const option = event.target instanceof Element && event.target.closest(".mention-list [role=option]");
  if (option && state) pick(state.options.indexOf(option));
});

document.addEventListener("focusout", (event) => {
  if (state && event.target === state.field) close();
});
