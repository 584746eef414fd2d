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
  Yasqe.defaults.autocompleters.splice(0, Yasqe.defaults.autocompleters.length, "srkbPrefixes", "variables");
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

  const load = (tab, name) => {
    const chosen = Array.from(select.options).find((o) => o.value === name);
    if (chosen) {
      select.value = name;
      tab.setQuery(chosen.dataset.query || "");
      tab.setName(chosen.textContent || name);
    }
  };
  // ?example=NAME (the links of the list below) wins over the query kept from last time.
  const asked = new URLSearchParams(window.location.search).get("example");
  if (asked) {
    load(yasgui.getTab(), asked);
  }
  select.addEventListener("change", () => {
    load(yasgui.getTab(), option().value);
    document.getElementById("example-description").textContent = option().dataset.description || "";
    history.replaceState(null, "", `?example=${encodeURIComponent(option().value)}`);
  });

  yasgui.on("query", () => {
    status.textContent = "Running…";
  });
  yasgui.on("queryResponse", (_instance, tab) => {
    // Yasr reads the response right after this event: look at it once it has.
    queueMicrotask(() => {
      const results = tab.getYasr().results;
      const failure = results && results.getError();
      if (failure) {
        const error = parseError(failure.text);
        if (error && error.line) {
          markError(tab.getYasqe(), error);
        }
        status.textContent = error
          ? [positionText(error), error.message].filter(Boolean).join(": ")
          : "The query failed.";
        return;
      }
      status.textContent = summary(results);
    });
  });
  localiseLinks(mount, base, root);
  plain.hidden = true;
  document.getElementById("load-example").hidden = true;
  app.classList.add("enhanced");
}

start();
