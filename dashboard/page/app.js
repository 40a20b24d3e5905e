// creditlab risk dashboard, in the browser: tooltips from the charts' SVG <title>s, sortable tables, and — on the
// live page — recomputation without a reload: a control changes, the page asks /api/view for the new state, swaps
// the view in, and writes the state into the URL (shareable, reloadable). Plain script, no dependency, no build
// step; the same file is inlined into exported views, where only the tooltips and the sorting run.
(function () {
  "use strict";

  // ── tooltips ──────────────────────────────────────────────────────────────────────────────────────────────────
  const tip = document.createElement("div");
  tip.className = "tooltip";
  tip.hidden = true;
  tip.setAttribute("role", "tooltip");
  document.body.appendChild(tip);

  /** Moves each mark's <title> into data-tip (the chart's own title on the root <svg> stays). */
  function prepareTips(root) {
    for (const title of Array.from(root.querySelectorAll("svg title"))) {
      const owner = title.parentNode;
      if (!owner || owner.nodeName.toLowerCase() === "svg") continue;
      owner.setAttribute("data-tip", title.textContent || "");
      owner.classList.add("has-tip");
      title.remove();
    }
  }

  function placeTip(event) {
    const pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    let x = event.clientX + pad, y = event.clientY + pad;
    if (x + w > globalThis.innerWidth - 4) x = event.clientX - pad - w;
    if (y + h > globalThis.innerHeight - 4) y = event.clientY - pad - h;
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  document.addEventListener("pointerover", (event) => {
    const target = event.target instanceof Element ? event.target.closest("[data-tip]") : null;
    if (!target) return;
    tip.textContent = target.getAttribute("data-tip");
    tip.hidden = false;
    placeTip(event);
  });
  document.addEventListener("pointermove", (event) => {
    if (!tip.hidden) placeTip(event);
  });
  document.addEventListener("pointerout", (event) => {
    const target = event.target instanceof Element ? event.target.closest("[data-tip]") : null;
    if (target && !(event.relatedTarget instanceof Element && target.contains(event.relatedTarget))) tip.hidden = true;
  });

  // ── sortable tables ───────────────────────────────────────────────────────────────────────────────────────────
  /** The sort key of a cell: a number ("−1.23 %", "USD 1,234", "12 bp"), an ISO date or text; null when empty. */
  function sortKey(text) {
    const t = text.trim();
    if (t === "" || t === "—" || t === "n/a" || t.startsWith("n/a")) return null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
    const cleaned = t.replace(/[−–]/g, "-").replace(/,/g, "").replace(/USD|bp|%|y×%|\s/g, "").replace(/y$/, "");
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned) ? Number(cleaned) : t.toLowerCase();
  }

  function sortTable(table, column, header) {
    const body = table.tBodies[0];
    if (!body) return;
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    for (const th of Array.from(table.tHead.rows[0].cells)) th.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows).map((row, index) => ({
      row,
      index,
      key: sortKey(row.cells[column]?.textContent ?? ""),
    }));
    rows.sort((a, b) => {
      if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
      const order = typeof a.key === "number" && typeof b.key === "number"
        ? a.key - b.key
        : String(a.key).localeCompare(String(b.key));
      return (ascending ? order : -order) || a.index - b.index;
    });
    for (const { row } of rows) body.appendChild(row);
  }

  function prepareTables(root) {
    for (const table of Array.from(root.querySelectorAll(".sortable table"))) {
      if (!table.tHead) continue;
      Array.from(table.tHead.rows[0].cells).forEach((th, column) => {
        th.classList.add("sortable-header");
        th.tabIndex = 0;
        th.title = "Sort by this column";
        th.addEventListener("click", () => sortTable(table, column, th));
        th.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") (event.preventDefault(), sortTable(table, column, th));
        });
      });
    }
  }

  function prepare(root) {
    prepareTips(root);
    prepareTables(root);
  }
  prepare(document);

  // ── the live page ─────────────────────────────────────────────────────────────────────────────────────────────
  const form = document.getElementById("controls");
  const view = document.getElementById("view");
  if (!form || !view) return; // an exported view
  const status = document.getElementById("status");
  const timing = document.getElementById("timing");
  const tabs = document.getElementById("tabs");
  const exportLink = document.getElementById("export");
  const bookLine = document.getElementById("book-line");
  let sequence = 0, version = 0;

  const formQuery = () => new URLSearchParams(new FormData(form)).toString();
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

  function showProblems(problems) {
    status.hidden = false;
    status.className = "status error";
    status.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = `Nothing was computed: the request has ${
      problems.length === 1 ? "a problem" : `${problems.length} problems`
    }.`;
    const list = document.createElement("ul");
    for (const p of problems) {
      const item = document.createElement("li");
      item.textContent = p;
      list.appendChild(item);
    }
    status.append(strong, list);
  }

  /** Marks the fields of the query keys at fault (none: clears the marks). */
  function markInvalid(keys) {
    for (const field of Array.from(form.elements)) {
      if (!(field instanceof HTMLElement) || !field.getAttribute("name")) continue;
      if (keys.includes(field.getAttribute("name"))) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
  }

  function hideStatus() {
    status.hidden = true;
    status.innerHTML = "";
  }

  function setLinks(query, activeView) {
    const params = new URLSearchParams(query);
    for (const a of Array.from(tabs.querySelectorAll("a[data-view]"))) {
      const q = new URLSearchParams(params);
      const v = a.getAttribute("data-view");
      if (v === "overview") q.delete("view");
      else q.set("view", v);
      a.href = `/${q.toString() ? `?${q}` : ""}`;
      a.classList.toggle("active", v === activeView);
      if (v === activeView) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    exportLink.href = `/export${query ? `?${query}` : ""}`;
  }

  function setFields(params) {
    for (const [key, value] of params) {
      const field = form.elements.namedItem(key);
      if (!field) continue;
      if (field instanceof HTMLSelectElement && !Array.from(field.options).some((o) => o.value === value)) {
        field.add(new Option(key === "rebalance" ? `Every ${value} days` : value, value));
      }
      field.value = value;
    }
  }

  async function refresh(query, history) {
    const id = ++sequence;
    const t0 = performance.now();
    document.body.classList.add("busy");
    timing.textContent = "Recomputing…";
    let response, body;
    try {
      response = await fetch(`/api/view?${query}`, { headers: { accept: "application/json" } });
      body = await response.json();
    } catch (error) {
      if (id !== sequence) return;
      showProblems([`Cannot reach the dashboard server: ${error.message}`]);
      document.body.classList.remove("busy");
      timing.textContent = "Not recomputed";
      return;
    }
    if (id !== sequence) return; // a later change superseded this one
    if (history === "none" && body.fields) setFields(Object.entries(body.fields));
    let url;
    if (body.ok) {
      view.innerHTML = body.html;
      prepare(view);
      view.dataset.view = body.view;
      view.dataset.ok = "true";
      hideStatus();
      markInvalid([]);
      setLinks(body.query, body.view);
      bookLine.textContent = body.bookLine;
      document.title = `${
        tabs.querySelector(`a[data-view="${body.view}"]`)?.textContent ?? "Dashboard"
      } · creditlab risk dashboard`;
      url = body.query ? `/?${body.query}` : "/";
    } else {
      showProblems(body.problems);
      markInvalid(body.invalid ?? []);
      view.innerHTML =
        '<div class="empty">Nothing to show until the request is fixed: the message above says what is wrong, and the fields at fault are marked in red.</div>';
      view.dataset.ok = "false";
      setLinks(query, new URLSearchParams(query).get("view") ?? "overview");
      url = `/?${query}`;
    }
    if (history === "push") globalThis.history.pushState(null, "", url);
    else if (history === "replace") globalThis.history.replaceState(null, "", url);
    await frame();
    const ms = performance.now() - t0;
    view.dataset.recomputeMs = ms.toFixed(1);
    view.dataset.status = String(response.status);
    view.dataset.version = String(++version);
    timing.textContent = body.ok
      ? `Recomputed in ${Math.round(ms)} ms in the browser (server: ${
        body.computeMs < 1 ? "from cache" : `computed in ${Math.round(body.computeMs)} ms`
      }, rendered in ${Math.round(body.renderMs)} ms)`
      : `Rejected in ${Math.round(ms)} ms: HTTP ${response.status}`;
    document.body.classList.remove("busy");
  }

  form.addEventListener("change", () => refresh(formQuery(), "replace"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh(formQuery(), "replace");
  });
  tabs.addEventListener("click", (event) => {
    const a = event.target instanceof Element ? event.target.closest("a[data-view]") : null;
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    form.elements.namedItem("view").value = a.getAttribute("data-view");
    refresh(formQuery(), "push");
  });
  globalThis.addEventListener("popstate", () => refresh(location.search.slice(1), "none"));
})();
