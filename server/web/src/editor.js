// srkb's SPARQL editor: YASGUI (Yasqe to write, Yasr to read the answer) mounted over the
// plain form of /editor, which keeps working without JavaScript.
//
// Everything the editor needs comes from the page (data-* attributes written by
// server/templates/lookup/editor.html) and every request goes to this server's /sparql:
// the endpoint is a function, so neither a stored tab nor a shared link can point it
// elsewhere, and the completers that would ask prefix.cc or LOV are not enabled.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";
import "./editor.css";

const { Yasqe } = Yasgui;

function readJson(element, name, fallback) {
  try {
    return JSON.parse(element.dataset[name] || "");
  } catch (ignored) {
    return fallback;
  }
}

// Prefix completion from srkb's own prefixes (kb/vocab.py PREFIXES): typing "PREFIX s"
// offers "srkb: <...>", and using an undeclared srkb prefix adds its PREFIX line.
function registerPrefixCompleter(prefixes) {
  const declarations = Object.keys(prefixes)
    .sort()
    .map((name) => `${name}: <${prefixes[name]}>`);
  Yasqe.forkAutocompleter(
    "prefixes",
    { name: "srkbPrefixes", persistenceId: null, get: () => Promise.resolve(declarations) },
    false,
  );
  // In place: Yasgui's defaults hold the same object, and lodash's merge would mix arrays.
  const enabled = Yasqe.defaults.autocompleters;
  enabled.splice(0, enabled.length, "srkbPrefixes", "variables");
}

// The JSON error body of /sparql: {"status", "error", "message", "line", "column"}.
function parseError(text) {
  try {
    const body = JSON.parse(text || "");
    return body && typeof body.message === "string" ? body : null;
  } catch (ignored) {
    return null;
  }
}

function positionText(error) {
  return error.line ? `Line ${error.line}, column ${error.column}` : "";
}

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

// Shown by Yasr in place of the raw body: the endpoint's message and where it stopped.
function renderError(summary) {
  const error = parseError(summary && summary.text);
  if (!error) {
    return Promise.resolve(undefined);
  }
  const box = el("div", "srkb-query-error");
  box.setAttribute("role", "alert");
  box.appendChild(el("p", "srkb-error-title", `Error ${error.status} (${error.error})`));
  const position = positionText(error);
  if (position) {
    box.appendChild(el("p", "srkb-error-position", position));
  }
  box.appendChild(el("p", "srkb-error-message", error.message));
  return Promise.resolve(box);
}

const ERROR_LINE = "srkb-error-line";

// Mark the line (and the character) the parser stopped at, until the query changes.
function markError(yasqe, error) {
  const doc = yasqe.getDoc();
  const line = Math.min(Math.max(error.line - 1, 0), doc.lastLine());
  const start = Math.min(Math.max(error.column - 1, 0), doc.getLine(line).length);
  const end = start < doc.getLine(line).length ? start + 1 : start;
  yasqe.addLineClass(line, "background", ERROR_LINE);
  const mark = doc.markText(
    { line, ch: start },
    { line, ch: end },
    { className: "srkb-error-at", attributes: { title: error.message } },
  );
  yasqe.scrollIntoView({ line, ch: start }, 40);
  const clear = () => {
    yasqe.removeLineClass(line, "background", ERROR_LINE);
    mark.clear();
    yasqe.off("change", clear);
  };
  yasqe.on("change", clear);
}

// Data IRIs link to their page on this server, not to the base IRI's host.
function localiseLinks(container, base, root) {
  if (!base) {
    return;
  }
  const fix = () => {
    for (const a of container.querySelectorAll("a.iri")) {
      const href = a.getAttribute("href") || "";
      if (href.startsWith(base)) {
        a.setAttribute("href", `${root}/${href.slice(base.length)}`);
      }
    }
  };
  new MutationObserver(fix).observe(container, { childList: true, subtree: true });
}

// One line for the status: "35 rows.", "ASK: true.", "412 triples.".
function summary(results) {
  if (!results) {
    return "";
  }
  if (typeof results.getBoolean() === "boolean") {
    return `ASK: ${results.getBoolean()}.`;
  }
  const statements = results.getStatements();
  const count = statements ? statements.length : (results.getBindings() || []).length;
  const unit = statements ? "triple" : "row";
  return `${count} ${unit}${count === 1 ? "" : "s"}.`;
}

// The examples list: a named query goes into the current tab when that tab holds nothing
// of the user's (empty, or an example as it was loaded), else into a new tab, so choosing
// an example never throws away a query being written. ?example=NAME (the links of the
// list under the editor) does the same at load time.
function offerExamples(yasgui, select) {
  const options = Array.from(select.options);
  const examples = new Set(options.map((o) => (o.dataset.query || "").trim()));
  const load = (name) => {
    const chosen = options.find((o) => o.value === name);
    if (!chosen) {
      return;
    }
    select.value = name;
    document.getElementById("example-description").textContent = chosen.dataset.description || "";
    const current = yasgui.getTab();
    const text = current ? current.getQuery().trim() : "";
    const tab = current && (!text || examples.has(text)) ? current : yasgui.addTab(true);
    tab.setQuery(chosen.dataset.query || "");
    tab.setName(chosen.textContent || name);
  };
  const asked = new URLSearchParams(window.location.search).get("example");
  if (asked) {
    load(asked);
  }
  select.addEventListener("change", () => {
    load(select.value);
    history.replaceState(null, "", `?example=${encodeURIComponent(select.value)}`);
  });
}

// The status line under the examples says how each query ended: rows (and whether the
// endpoint cut the answer at its row limit, from its SRKB-Truncated header), or where the
// parser stopped, with the line and column marked in the query.
function watchResponses(yasgui, status) {
  const watched = new WeakSet();
  const watch = (tab) => {
    const yasqe = tab && tab.getYasqe();
    if (!yasqe || watched.has(yasqe)) {
      return;
    }
    watched.add(yasqe);
    yasqe.on("queryResponse", (_yasqe, response) => {
      // The tab hands the response to Yasr on the same event: read Yasr's parse after it.
      queueMicrotask(() => report(tab, response, status));
    });
  };
  // A shared link's query is already running when Yasgui's constructor returns.
  watch(yasgui.getTab());
  yasgui.on("query", (_instance, tab) => {
    status.textContent = "Running…";
    watch(tab);
  });
}

function report(tab, response, status) {
  const results = tab.getYasr().results;
  if (response instanceof Error) {
    const error = parseError(response.message);
    if (error && error.line) {
      markError(tab.getYasqe(), error);
    }
    status.textContent = error
      ? [positionText(error), error.message].filter(Boolean).join(": ")
      : response instanceof TypeError
        ? "The server could not be reached."
        : "The query failed.";
    return;
  }
  let text = summary(results);
  const headers = response && response.headers;
  if (headers && headers.get("SRKB-Truncated") === "true") {
    const limit = headers.get("SRKB-Row-Limit");
    text +=
      ` The answer is partial: cut at the endpoint's limit of ${limit} rows` +
      " (add LIMIT, or narrow the query).";
  }
  status.textContent = text;
}

function start() {
  const app = document.getElementById("editor-app");
  const mount = document.getElementById("yasgui");
  const plain = document.getElementById("editor-form");
  const select = document.getElementById("example");
  const status = document.getElementById("query-status");
  if (!app || !mount || !plain || !select || !status) {
    return;
  }
  const prefixes = readJson(app, "prefixes", {});
  const endpoint = new URL(app.dataset.endpoint, window.location.href).href;
  const base = app.dataset.base || "";
  const root = app.dataset.root || "";
  const option = () => select.options[select.selectedIndex];
  registerPrefixCompleter(prefixes);
  // Each tab's Yasr takes its error renderers from Yasr's defaults, not Yasgui's config.
  Yasgui.Yasr.defaults.errorRenderers = [renderError];

  // A shared link's endpoint= would become the endpoint of the whole page (Yasgui writes
  // it into its own config, over the function below): this editor has one, so drop it.
  const here = new URL(window.location.href);
  if (here.searchParams.has("endpoint")) {
    here.searchParams.delete("endpoint");
    history.replaceState(null, "", here);
  }
  const yasgui = new Yasgui(mount, {
    persistenceId: "srkb-editor",
    tabName: "Query",
    autofocus: false,
    copyEndpointOnNewTab: false,
    requestConfig: {
      endpoint: () => endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
    endpointCatalogueOptions: { getData: () => [] },
    yasqe: { value: option().dataset.query || "", editorHeight: "22rem" },
    yasr: { prefixes },
  });

  offerExamples(yasgui, select);
  watchResponses(yasgui, status);
  localiseLinks(mount, base, root);
  plain.hidden = true;
  document.getElementById("load-example").hidden = true;
  app.classList.add("enhanced");
}

start();
