// srkb SPARQL editor: fills the editor with the chosen example and runs queries with
// fetch, drawing the answer with textContent only (answers are untrusted text). Without
// this script the page still works: the form posts to /sparql and the server answers
// with an HTML table.
"use strict";
(function () {
  const form = document.getElementById("editor-form");
  const select = document.getElementById("example");
  const textarea = document.getElementById("query");
  const results = document.getElementById("results");
  const status = document.getElementById("query-status");
  const description = document.getElementById("example-description");
  const load = document.getElementById("load-example");
  if (!form || !select || !textarea || !results || !status) {
    return;
  }
  const base = form.dataset.base || "";
  const root = form.dataset.root || "";
  if (load) {
    load.hidden = true; // choosing an example fills the editor at once
  }

  select.addEventListener("change", function () {
    const option = select.options[select.selectedIndex];
    textarea.value = option.dataset.query || "";
    if (description) {
      description.textContent = option.dataset.description || "";
    }
    history.replaceState(null, "", "?example=" + encodeURIComponent(option.value));
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function el(name, text, className) {
    const node = document.createElement(name);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  // A data IRI links to its page on this server; other IRIs are shown as text.
  function cell(binding) {
    const td = el("td");
    if (!binding) {
      return td;
    }
    if (binding.type === "uri") {
      td.className = "uri";
      if (base && binding.value.indexOf(base) === 0) {
        const a = el("a", binding.value);
        a.href = root + "/" + binding.value.slice(base.length);
        td.appendChild(a);
      } else {
        td.textContent = binding.value;
      }
    } else if (binding.type === "bnode") {
      td.textContent = "_:" + binding.value;
    } else {
      td.className = "literal";
      td.textContent = binding.value;
      const note = binding["xml:lang"] || "";
      if (note) {
        td.appendChild(document.createTextNode(" "));
        td.appendChild(el("span", note, "note"));
      }
    }
    return td;
  }

  function showTable(doc, response) {
    if (typeof doc.boolean === "boolean") {
      results.appendChild(el("p", doc.boolean ? "true" : "false", "boolean"));
      return "ASK: " + doc.boolean;
    }
    const vars = doc.head.vars;
    const rows = doc.results.bindings;
    const wrap = el("div", null, "scroll");
    const table = el("table", null, "results");
    table.id = "results-table";
    const truncated = response.headers.get("SRKB-Truncated") === "true";
    table.appendChild(
      el("caption", rows.length + (rows.length === 1 ? " row" : " rows") + (truncated ? " (truncated)" : ""))
    );
    const head = el("thead");
    const tr = el("tr");
    vars.forEach(function (v) {
      const th = el("th", "?" + v);
      th.scope = "col";
      tr.appendChild(th);
    });
    head.appendChild(tr);
    table.appendChild(head);
    const body = el("tbody");
    rows.forEach(function (b) {
      const row = el("tr");
      vars.forEach(function (v) {
        row.appendChild(cell(b[v]));
      });
      body.appendChild(row);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    results.appendChild(wrap);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    results.replaceChildren();
    results.hidden = false;
    status.textContent = "Running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        headers: {
          Accept: "application/sparql-results+json, text/turtle;q=0.9, application/json;q=0.1",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ query: textarea.value }),
      });
    } catch (error) {
      status.textContent = "The server could not be reached.";
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      let message = response.statusText;
      try {
        message = (await response.json()).message || message;
      } catch (ignored) {
        // not the JSON error shape: keep the status text
      }
      results.appendChild(el("p", "Error " + response.status + ": " + message, "error"));
      status.textContent = "The query failed.";
      return;
    }
    if (type.indexOf("application/sparql-results+json") === 0) {
      const summary = showTable(await response.json(), response);
      status.textContent = summary + " in " + seconds + " s.";
    } else {
      results.appendChild(el("pre", await response.text(), "graph"));
      status.textContent = "Graph answer in " + seconds + " s.";
    }
  });
})();
