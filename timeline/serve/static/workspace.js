// Timeline workspace: plain JavaScript, no library, nothing from outside. It talks only to this server's
// API (docs/serve.md); the session cookie is HttpOnly, so this script never sees a key. No browser storage.
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const READ = {date: "Date", end: "End date", text: "Text", type: "Type", kind: "Kind", category: "Category"};
  const FIELDS = ["date", "end", "kind", "type", "label", "note", "source", "status", "route"];
  const NAMES = {date: "date", end: "end date", kind: "kind", type: "type", label: "label", note: "note",
                 source: "source", status: "status", route: "route"};

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  async function api(method, url, body) {
    const opts = {method, headers: {}, credentials: "same-origin", cache: "no-store"};
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
    let resp;
    try { resp = await fetch(url, opts); }
    catch (e) { return {ok: false, status: 0, data: {error: "The workspace did not answer; is `timeline serve` still running?"}}; }
    let data = null;
    const type = resp.headers.get("Content-Type") || "";
    if (type.includes("json")) { try { data = await resp.json(); } catch (e) { data = null; } }
    else if (resp.status !== 204) data = await resp.text();
    if (!resp.ok && (!data || typeof data !== "object")) data = {error: `The workspace answered ${resp.status}`};
    return {ok: resp.ok, status: resp.status, data};
  }

  function problemText(p) {
    let where = "";
    if (p.row !== null && p.row !== undefined) where = `Row ${p.row}` + (p.field ? `, ${NAMES[p.field] || p.field}` : "");
    else if (p.line) where = `Line ${p.line}` + (p.field ? `, ${p.field}` : "");
    else if (p.field) where = NAMES[p.field] || p.field;
    return where ? `${where}: ${p.message}` : p.message;
  }

  // ------------------------------------------------------------------ the start page

  function startPage() {
    const form = $("#upload");
    const status = $("#start-status");
    const input = $("#file");
    const drop = $("#drop");
    function show(message, problems) {
      status.hidden = false;
      status.className = "notice error";
      status.textContent = message;
      if (problems && problems.length) {
        const list = el("ul", {class: "problems"});
        for (const p of problems.slice(0, 50)) list.append(el("li", {text: problemText(p)}));
        status.append(list);
      }
    }
    async function send(empty) {
      const data = new FormData(form);
      if (empty) { data.delete("file"); data.set("empty", "1"); }
      status.hidden = false; status.className = "notice"; status.textContent = "Reading ...";
      const r = await api("POST", "/api/cases", data);
      if (r.ok) { window.location.assign(`/cases/${encodeURIComponent(r.data.id)}`); return; }
      show(r.data.error || "That did not work", r.data.problems);
    }
    form.addEventListener("submit", (ev) => { ev.preventDefault(); send(false); });
    $("#empty").addEventListener("click", () => send(true));
    for (const name of ["dragenter", "dragover"]) drop.addEventListener(name, (ev) => { ev.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault(); drop.classList.remove("over");
      if (ev.dataTransfer && ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; input.focus(); }
    });
  }

  // ------------------------------------------------------------------ the workspace

  function workspace(root) {
    const id = root.dataset.case;
    const base = `/api/cases/${encodeURIComponent(id)}`;
    let state = null;
    let version = 0;
    let chartVersion = -1;
    let chartWanted = 0;
    let styleUrl = null;
    const timers = new Map();
    const tbody = $("#events tbody");
    const statusBox = $("#status");
    const alertBox = $("#alert");

    function say(text) { statusBox.textContent = text; }
    function alarm(text) {
      if (!text) { alertBox.hidden = true; alertBox.textContent = ""; return; }
      alertBox.hidden = false; alertBox.textContent = text;
    }
    function gone(r) {
      if (r.status === 404 || r.status === 401) {
        alarm(r.data.error);
        alertBox.append(" ", el("a", {href: "/", text: "Back to the start"}));
        root.querySelectorAll("input, select, textarea, button").forEach((n) => { n.disabled = true; });
        return true;
      }
      return false;
    }

    // rows -----------------------------------------------------------

    function typeList(kind) {
      const listId = `types-${kind || "all"}`;
      if (!document.getElementById(listId)) {
        const list = el("datalist", {id: listId});
        const kinds = kind && state.vocabulary[kind] ? [kind] : Object.keys(state.vocabulary);
        for (const k of kinds) for (const t of state.vocabulary[k].types) list.append(el("option", {value: t}));
        root.append(list);
      }
      return listId;
    }

    function kindOf(value) {
      const v = (value || "").trim().toLowerCase();
      for (const [k, info] of Object.entries(state.vocabulary)) if (v === k || v === info.label.toLowerCase()) return k;
      return null;
    }

    function fieldControl(row, f, value) {
      const cid = `r${row}-${f}`;
      const label = `Row ${row} ${NAMES[f]}`;
      let control;
      if (f === "note") {
        control = el("textarea", {id: cid, rows: 1, "aria-label": label});
        control.value = value;
      } else if (f === "kind") {
        control = el("select", {id: cid, "aria-label": label});
        control.append(el("option", {value: "", text: "(auto)"}));
        let known = value === "";
        for (const [k, info] of Object.entries(state.vocabulary)) {
          const selected = kindOf(value) === k && value !== "";
          if (selected) known = true;
          control.append(el("option", {value: selected ? value : info.label, text: info.label, selected}));
        }
        if (!known) control.append(el("option", {value, text: `${value} (as typed)`, selected: true}));
      } else if (f === "route") {
        control = routeControl(cid, label, value);
      } else {
        const attrs = {id: cid, "aria-label": label, autocomplete: "off", value};
        if (f === "type") { attrs.list = typeList(kindOf(rowKind(row))); attrs.value = typeWords(row, value); }
        if (f === "status") attrs.list = "statuses";
        if (f === "date" || f === "end") attrs.size = 11;
        control = el("input", attrs);
      }
      control.dataset.row = row;
      control.dataset.field = f;
      const msg = el("span", {class: "msg", id: `${cid}-msg`});
      control.setAttribute("aria-describedby", msg.id);
      return el("td", {class: `f-${f}`}, control, msg);
    }

    // The route to permanence (only on a permanence-recommended milestone), chosen by its words; the cell
    // keeps what was typed when it is one of the routes (the importer reads "permanence order" and
    // "permanence_order" alike), else the route's code. A value that is none of them stays, marked as typed.
    function routeKey(value) { return (value || "").trim().toLowerCase().replace(/[\s-]+/g, "_"); }
    function routeControl(cid, label, value) {
      const control = el("select", {id: cid, "aria-label": label});
      control.append(el("option", {value: "", text: "(none)"}));
      let known = value.trim() === "";
      for (const [code, words] of Object.entries(state.routes || {})) {
        const selected = value.trim() !== "" && (routeKey(value) === code || routeKey(value) === routeKey(words));
        if (selected) known = true;
        control.append(el("option", {value: selected ? value : code, text: words, selected}));
      }
      if (!known) control.append(el("option", {value, text: `${value} (as typed)`, selected: true}));
      return control;
    }

    // A case file's row holds its type as the vocabulary's code ("cso"); it is shown in words ("Compulsory
    // Supervision Order"), which the importer reads back as the same type. A spreadsheet's cell is shown as typed.
    function typeWords(row, value) {
      if (!state.from_case_file) return value;
      const k = kindOf(rowKind(row));
      const codes = k && state.vocabulary[k] ? state.vocabulary[k].codes || {} : {};
      return Object.prototype.hasOwnProperty.call(codes, value) ? codes[value] : value;
    }

    function rowKind(row) {
      const r = state.rows.find((x) => x.row === row);
      return r ? r.cells.kind : "";
    }

    function rowElement(r) {
      const tr = el("tr", {id: `row-${r.row}`, "data-row": r.row});
      tr.append(el("th", {scope: "row", class: "num", text: String(r.row)}));
      for (const f of FIELDS) tr.append(fieldControl(r.row, f, r.cells[f] || ""));
      tr.append(el("td", {class: "became", id: `became-${r.row}`}));
      const dup = el("button", {type: "button", "data-act": "dup", "aria-label": `Duplicate row ${r.row}`, text: "Duplicate"});
      const del = el("button", {type: "button", "data-act": "del", "aria-label": `Delete row ${r.row}`, text: "Delete", class: "danger"});
      tr.append(el("td", {class: "acts"}, dup, " ", del));
      return tr;
    }

    function buildTable() {
      tbody.replaceChildren(...state.rows.map(rowElement));
    }

    function applyProblems() {
      root.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
      root.querySelectorAll(".msg").forEach((n) => { n.textContent = ""; });
      root.querySelectorAll("tr.bad, tr.warn").forEach((n) => n.classList.remove("bad", "warn"));
      const mark = (p, severity) => {
        if (p.row !== null && p.row !== undefined) {
          const tr = document.getElementById(`row-${p.row}`);
          if (!tr) return;
          tr.classList.add(severity);
          const f = p.field && FIELDS.includes(p.field) ? p.field : "date";
          const control = document.getElementById(`r${p.row}-${f}`);
          const msg = document.getElementById(`r${p.row}-${f}-msg`);
          if (control && severity === "bad") control.setAttribute("aria-invalid", "true");
          if (msg) msg.textContent = (msg.textContent ? msg.textContent + " " : "") + p.message;
        } else if (p.field && document.getElementById(`c-${p.field}`)) {
          const control = document.getElementById(`c-${p.field}`);
          if (severity === "bad") control.setAttribute("aria-invalid", "true");
          document.getElementById(`c-${p.field}-msg`).textContent = p.message;
        }
      };
      for (const p of state.problems) mark(p, "bad");
      for (const w of state.warnings) mark(w, "warn");
      announceField();
      for (const r of state.rows) {
        const cell = document.getElementById(`became-${r.row}`);
        if (!cell) continue;
        const bad = document.getElementById(`row-${r.row}`).classList.contains("bad");
        cell.textContent = bad ? "Not drawn until fixed" : (state.became[String(r.row)] || "");
      }
      const n = state.events;
      $("#event-count").textContent = `(${state.rows.length} row${state.rows.length === 1 ? "" : "s"}, ${n} drawn)`;
      $("#undo").disabled = !state.can_undo;
      const blocked = state.problems.length > 0;
      $("#dl-note").textContent = blocked
        ? `${state.problems.length} problem${state.problems.length === 1 ? "" : "s"} to fix first: a timeline missing rows would mislead. The chronology downloads keep every row as typed.`
        : "";
      root.querySelectorAll("#downloads a").forEach((a) => {
        const off = blocked && !a.dataset.always;
        if (off) { a.removeAttribute("href"); a.setAttribute("aria-disabled", "true"); }
        else { a.href = `${base}/${a.dataset.dl}`; a.removeAttribute("aria-disabled"); a.setAttribute("download", ""); }
      });
      renderReport();
    }

    // The message on the field being typed in is announced when it appears, changes or goes (the field's
    // aria-describedby is read only when it gains focus).
    let fieldNote = "";
    function announceField() {
      const active = document.activeElement;
      if (!active || !active.dataset || !active.dataset.row) return;
      const msg = document.getElementById(`${active.id}-msg`);
      const text = msg ? msg.textContent : "";
      if (text === fieldNote) return;
      const where = `Row ${active.dataset.row} ${NAMES[active.dataset.field] || active.dataset.field}`;
      $("#field-status").textContent = text ? `${where}: ${text}` : (fieldNote ? `${where}: no problem now` : "");
      fieldNote = text;
    }

    function renderReport() {
      const box = $("#report");
      const parts = [];
      const rep = state.report;
      if (rep && rep.counts) {
        const c = rep.counts;
        const n = (k, one, many) => `${k} ${k === 1 ? one : many}`;
        $("#report-counts").textContent = `(${n(c.rows ?? state.rows.length, "row", "rows")}, ${n(c.events ?? state.events, "event", "events")}, ${n(c.guesses ?? 0, "guess", "guesses")}, ${n(state.problems.length, "problem", "problems")})`;
      } else {
        $("#report-counts").textContent = `(${state.problems.length} problem${state.problems.length === 1 ? "" : "s"}, ${state.warnings.length} warning${state.warnings.length === 1 ? "" : "s"})`;
      }
      // The report's body (every row: 1,000 rows are 1,000 table rows) is built only while its card is open, and
      // when it is opened: an edit does not rebuild what nobody sees.
      if (!$("#report-card").open) { box.replaceChildren(); return; }
      if (state.problems.length) {
        parts.push(el("h3", {text: "Problems"}));
        const list = el("ul", {class: "problems"});
        for (const p of state.problems) {
          const li = el("li", {text: problemText(p) + " "});
          if (p.row !== null && p.row !== undefined) {
            const go = el("button", {type: "button", class: "link", "data-go": `${p.row}:${p.field || "date"}`, text: "Go to the row"});
            li.append(go);
          }
          list.append(li);
        }
        parts.push(list);
      } else {
        parts.push(el("p", {text: "No problems: every row was read."}));
      }
      if (state.warnings.length) {
        parts.push(el("h3", {text: "To check"}));
        const list = el("ul", {class: "warnings"});
        for (const w of state.warnings) list.append(el("li", {text: problemText(w)}));
        parts.push(list);
      }
      if (rep && Array.isArray(rep.rows) && rep.rows.length) {
        parts.push(el("h3", {text: "Every row and what it became"}));
        const table = el("table", {class: "report"});
        table.append(el("thead", {}, el("tr", {}, el("th", {scope: "col", text: "Row"}), el("th", {scope: "col", text: "Read"}),
          el("th", {scope: "col", text: "Became"}), el("th", {scope: "col", text: "Why"}))));
        const body = el("tbody");
        for (const row of rep.rows.slice(0, 2000)) {
          const read = Object.entries(row.read || {}).map(([k, v]) => `${READ[k] || k}: ${v}`).join("; ");
          const words = state.became[String(row.row)];
          const became = row.status === "error" ? "Not drawn until fixed"
            : (words || ((row.became || []).length ? `${row.became.length} event${row.became.length === 1 ? "" : "s"}` : "Nothing (not an event)"));
          const why = [...(row.why || []), ...(row.notes || []), ...(row.warnings || [])].join("; ");
          const tr = el("tr", {class: row.guessed ? "guess" : null}, el("th", {scope: "row", text: String(row.row)}), el("td", {text: read}),
            el("td", {text: became + (row.guessed ? " (a guess: check it)" : "")}), el("td", {text: why}));
          body.append(tr);
        }
        table.append(body);
        parts.push(table);
      }
      box.replaceChildren(...parts);
    }

    function buildColumns() {
      const box = $("#columns");
      box.replaceChildren();
      if (state.from_case_file) { $("#columns-card").hidden = true; return; }
      const names = {date: "Date (or start)", end: "End date", kind: "Kind", type: "Type", label: "Label (short text)",
                     note: "Note (details)", source: "Source", status: "Status",
                     route: "Route (to permanence)"};
      for (const f of Object.keys(state.columns)) if (!(f in names)) names[f] = f === "text" ? "Text (read for the type)" : f;
      for (const [f, label] of Object.entries(names)) {
        const sel = el("select", {id: `col-${f}`, "data-column": f});
        sel.append(el("option", {value: "", text: "(not used)"}));
        const chosen = state.columns[f] || [];
        state.headers.forEach((h) => { if (h) sel.append(el("option", {value: h, text: h, selected: chosen[0] === h})); });
        box.append(el("p", {}, el("label", {for: sel.id, text: label}), sel));
      }
    }

    function fillChild() {
      for (const k of ["name", "dob", "as_of", "ref"]) {
        const input = document.getElementById(`c-${k}`);
        if (document.activeElement !== input) input.value = state.child[k] || "";
      }
      $("#heading").textContent = state.child.name ? `Timeline: ${state.child.name}` : "Timeline";
      $("#o-view").value = state.options.view;
      $("#o-page").value = state.options.page;
      if (document.activeElement !== $("#o-marking")) $("#o-marking").value = state.options.marking;
    }

    function merge(data, whole) {
      if (data.version < version) return false;  // an older answer arriving late
      version = data.version;
      if (whole) state = data;
      else for (const k of ["version", "events", "drawable", "problems", "warnings", "row_events", "became", "can_undo", "report"]) state[k] = data[k];
      return true;
    }

    async function load() {
      const r = await api("GET", base);
      if (!r.ok) { if (!gone(r)) alarm(r.data.error); return; }
      merge(r.data, true);
      fillChild(); buildColumns(); buildTable(); applyProblems();
      if (r.data.problems.length) $("#report-card").open = true;
      await refreshChart();
    }

    // the chart ------------------------------------------------------

    async function refreshChart() {
      const want = state.version;
      chartWanted = want;
      const box = $("#chart");
      if (!state.drawable) {
        box.replaceChildren(el("p", {class: "notice", text: "Nothing can be drawn yet: " + (state.problems[0] ? problemText(state.problems[0]) : "")}));
        chartVersion = want;
        return;
      }
      box.setAttribute("aria-busy", "true");
      const r = await api("GET", `${base}/timeline.svg?partial=1&pages=1&v=${want}`);
      if (want !== chartWanted) return;  // a newer change asked for a newer chart
      box.removeAttribute("aria-busy");
      if (!r.ok) { if (!gone(r)) box.replaceChildren(el("p", {class: "notice error", text: r.data.error})); return; }
      // The chart's own stylesheets (the chart's, and the key pages' under it) are taken out before parsing
      // (the page allows no inline style) and applied as one same-origin blob stylesheet instead.
      let text = r.data;
      const sheets = [];
      text = text.replace(/<style[^>]*>([\s\S]*?)<\/style>/g, (_m, body) => {
        const rules = body.replace(/^\s*<!\[CDATA\[/, "").replace(/\]\]>\s*$/, "");
        if (!sheets.includes(rules)) sheets.push(rules);
        return "";
      });
      const css = sheets.join("\n");
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      const svg = doc.documentElement;
      if (svg.nodeName !== "svg") return;
      if (css) {
        const url = URL.createObjectURL(new Blob([css], {type: "text/css"}));
        let link = document.getElementById("chart-style");
        if (!link) { link = el("link", {rel: "stylesheet", id: "chart-style"}); document.head.append(link); }
        link.href = url;
        if (styleUrl) URL.revokeObjectURL(styleUrl);
        styleUrl = url;
      }
      svg.removeAttribute("width"); svg.removeAttribute("height");
      const node = document.importNode(svg, true);
      node.querySelectorAll("g.event").forEach((g) => { g.setAttribute("tabindex", "0"); g.setAttribute("focusable", "true"); });
      box.replaceChildren(node);
      chartVersion = want;
      box.dataset.version = String(want);
      const active = document.activeElement;  // keep the row being edited linked to its (redrawn) event
      const tr = active && active.closest ? active.closest("#events tbody tr") : null;
      if (tr) linkFromRow(tr);
      say(`Chart drawn: ${state.events} event${state.events === 1 ? "" : "s"}${state.problems.length ? `; ${state.problems.length} problem${state.problems.length === 1 ? "" : "s"} to fix` : ""}.`);
    }

    function eventRow(n) {  // 1-based event number -> its row
      for (const [row, list] of Object.entries(state.row_events)) if (list.includes(n)) return row;
      return null;
    }

    function eventNumber(g) {
      const m = /^event-(\d+)$/.exec(g.id || "");
      if (m) return Number(m[1]);
      return null;
    }

    function unlink() { root.querySelectorAll(".linked").forEach((n) => n.classList.remove("linked")); }

    function linkFromChart(g) {
      unlink();
      g.classList.add("linked");
      const n = eventNumber(g);
      const title = g.querySelector("title");
      $("#details").textContent = title ? title.textContent : "";
      const row = n !== null ? eventRow(n) : null;
      if (row !== null) {
        const tr = document.getElementById(`row-${row}`);
        if (tr) { tr.classList.add("linked"); tr.scrollIntoView({block: "nearest"}); $("#details").textContent += ` (row ${row})`; }
      }
    }

    function linkFromRow(tr) {
      unlink();
      tr.classList.add("linked");
      const list = state.row_events[tr.dataset.row] || [];
      const said = [];
      for (const n of list) {
        const g = document.getElementById(`event-${n}`);
        if (!g) continue;
        g.classList.add("linked");
        const title = g.querySelector("title");
        if (title) said.push(title.textContent);
      }
      $("#details").textContent = said.length ? `${said.join("; ")} (row ${tr.dataset.row})` : "";
    }

    // edits ----------------------------------------------------------

    async function sendEdit(row, field, value) {
      const r = await api("PATCH", `${base}/events/${row}`, {[field]: value});
      if (!r.ok) { if (!gone(r)) alarm(r.data.error); return; }
      alarm("");
      const cur = state.rows.find((x) => x.row === row);
      if (cur) cur.cells[field] = value;
      if (merge(r.data, false)) { applyProblems(); refreshChart(); }
    }

    function scheduleEdit(control) {
      const row = Number(control.dataset.row);
      const field = control.dataset.field;
      const key = `${row}:${field}`;
      clearTimeout(timers.get(key));
      timers.set(key, setTimeout(() => { timers.delete(key); sendEdit(row, field, control.value); }, 250));
    }

    // After a change that rebuilds the table, the message says what was done and then what was drawn (one
    // announcement, not one overwritten by the other), and the focus goes to `focusId` (the button pressed
    // was replaced with its row), so that a keyboard user goes on from where they were.
    async function reloadAfter(r, message, focusId) {
      if (!r.ok) { if (!gone(r)) alarm(r.data.error); return; }
      alarm("");
      await load();
      say(`${message} ${statusBox.textContent}`.trim());
      const target = focusId ? document.getElementById(focusId) || $(focusId) : null;
      if (target) target.focus();
    }

    async function childEdit(control) {
      const r = await api("PATCH", base, {[control.dataset.child]: control.value});
      if (!r.ok) { if (!gone(r)) alarm(r.data.error); return; }
      merge(r.data, true); fillChild(); applyProblems(); refreshChart();
    }

    root.addEventListener("input", (ev) => {
      const t = ev.target;
      if (t.dataset.field) scheduleEdit(t);
      else if (t.dataset.child) {
        const key = `child:${t.dataset.child}`;
        clearTimeout(timers.get(key));
        timers.set(key, setTimeout(() => childEdit(t), 300));
      } else if (t.dataset.option === "marking") {
        clearTimeout(timers.get("marking"));
        timers.set("marking", setTimeout(() => optionEdit(t), 300));
      }
    });
    root.addEventListener("change", async (ev) => {
      const t = ev.target;
      if (t.dataset.column) {
        const r = await api("PATCH", base, {columns: {[t.dataset.column]: t.value || null}});
        await reloadAfter(r, "Columns changed; the table was read again.");
      } else if (t.dataset.option && t.dataset.option !== "marking") optionEdit(t);
    });

    async function optionEdit(t) {
      const r = await api("PATCH", base, {[t.dataset.option]: t.value});
      if (!r.ok) { if (!gone(r)) alarm(r.data.error); return; }
      merge(r.data, true);
      await refreshChart();
      const what = t.dataset.option === "view" ? "View" : t.dataset.option === "page" ? "Page" : "Marking";
      say(`${what} changed; the downloads use it. ${statusBox.textContent}`);
    }

    root.addEventListener("click", async (ev) => {
      const t = ev.target.closest("button");
      if (!t) return;
      if (t.dataset.act) {
        const row = Number(t.closest("tr").dataset.row);
        if (t.dataset.act === "dup") {
          const r = await api("POST", `${base}/events`, {copy_of: row});
          await reloadAfter(r, `Row ${row} duplicated as row ${r.ok ? r.data.row : ""}.`, r.ok ? `r${r.data.row}-date` : null);
        }
        if (t.dataset.act === "del") {
          const rows = [...tbody.querySelectorAll("tr")].map((tr) => tr.dataset.row);
          const next = rows[rows.indexOf(String(row)) + 1] || rows[rows.indexOf(String(row)) - 1];
          await reloadAfter(await api("DELETE", `${base}/events/${row}`), `Row ${row} deleted (Undo brings it back).`,
                            next ? `#row-${next} [data-act=del]` : "add");
        }
      } else if (t.dataset.go) {
        const [row, field] = t.dataset.go.split(":");
        const control = document.getElementById(`r${row}-${FIELDS.includes(field) ? field : "date"}`);
        if (control) { control.focus(); control.scrollIntoView({block: "center"}); }
      } else if (t.id === "add") {
        const r = await api("POST", `${base}/events`, {});
        await reloadAfter(r, `Row ${r.ok ? r.data.row : ""} added at the end.`, r.ok ? `r${r.data.row}-date` : null);
      } else if (t.id === "undo") {
        await reloadAfter(await api("POST", `${base}/undo`), "Undone.");
      } else if (t.id === "clear") {
        const r = await api("DELETE", base);
        if (r.ok || r.status === 404) window.location.assign("/?cleared=1");
        else alarm(r.data.error);
      }
    });

    $("#report-card").addEventListener("toggle", () => { if (state) renderReport(); });
    const chart = $("#chart");
    chart.addEventListener("mouseover", (ev) => { const g = ev.target.closest && ev.target.closest("g.event"); if (g) linkFromChart(g); });
    chart.addEventListener("focusin", (ev) => { const g = ev.target.closest && ev.target.closest("g.event"); if (g) linkFromChart(g); });
    tbody.addEventListener("mouseover", (ev) => { const tr = ev.target.closest("tr"); if (tr) linkFromRow(tr); });
    tbody.addEventListener("focusin", (ev) => { const tr = ev.target.closest("tr"); if (tr) linkFromRow(tr); });

    load();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const ws = document.getElementById("ws");
    if (ws) workspace(ws);
    else if (document.getElementById("upload")) startPage();
  });
})();
