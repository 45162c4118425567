// Enhances the server-rendered page; without this script every control is a plain link
// or form field and still works. Adds: results as you type (debounced), facet clicks,
// sorting and paging without reloads (the server renders /results, we swap it in), the
// URL kept in step (back/forward work), a year range by dragging across the histogram,
// and keys: "/" focuses the search box, arrows move through the hits.
// Never builds markup from data: everything shown comes escaped from the server.
(() => {
  "use strict";
  const form = document.getElementById("search");
  const q = document.getElementById("q");
  const results = document.getElementById("results");

  const isField = (el) =>
    el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);

  function moveThroughHits(step) {
    const links = Array.from(document.querySelectorAll(".hit a.open"));
    if (links.length === 0) return false;
    const at = links.indexOf(document.activeElement);
    if (at < 0 && step < 0) return false;
    const next = at < 0 ? 0 : at + step;
    if (next < 0) {
      q.focus();
    } else if (next < links.length) {
      links[next].focus();
      links[next].closest(".hit").scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/" && !isField(e.target)) {
      e.preventDefault();
      q.focus();
      q.select();
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && e.target.tagName !== "SELECT") {
      if (moveThroughHits(e.key === "ArrowDown" ? 1 : -1)) e.preventDefault();
    } else if (e.key === "Escape" && e.target === q && !results) {
      q.blur();
    }
  });

  if (!form || !q || !results) return; // the reader view: keys only

  let sequence = 0;
  async function show(url, how) {
    const mine = ++sequence;
    let html;
    try {
      const response = await fetch("/results" + url.search, { headers: { Accept: "text/html" } });
      html = await response.text();
    } catch (err) {
      if (mine === sequence) results.setAttribute("data-offline", "true");
      return;
    }
    if (mine !== sequence) return; // a later request won
    results.removeAttribute("data-offline");
    results.innerHTML = html;
    const frag = results.querySelector(".frag");
    if (frag && frag.dataset.title) document.title = frag.dataset.title;
    const target = url.pathname + url.search;
    if (how === "push") history.pushState({ dossier: true, typed: false }, "", target);
    else if (how === "typed") {
      if (history.state && history.state.typed) history.replaceState({ dossier: true, typed: true }, "", target);
      else history.pushState({ dossier: true, typed: true }, "", target);
    } else if (how === "replace") history.replaceState({ dossier: true, typed: false }, "", target);
    results.setAttribute("data-ready", String(mine));
  }

  function urlFromForm() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (String(value).trim() === "") continue;
      if (key === "sort" && value === "relevance") continue;
      params.append(key, value);
    }
    const url = new URL("/", location.origin);
    url.search = params.toString();
    return url;
  }

  let timer = 0;
  q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => show(urlFromForm(), "typed"), 180);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    show(urlFromForm(), history.state && history.state.typed ? "replace" : "push");
  });
  results.addEventListener("change", (e) => {
    if (e.target.id === "sort") show(urlFromForm(), "push");
  });
  results.addEventListener("click", (e) => {
    if (dragged) {
      e.preventDefault();
      dragged = false;
      return;
    }
    const a = e.target.closest("a");
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/") return;
    e.preventDefault();
    show(url, "push");
  });
  window.addEventListener("popstate", () => {
    const url = new URL(location.href);
    q.value = url.searchParams.get("q") || "";
    show(url, "none");
  });
  history.replaceState({ dossier: true, typed: false }, "");

  // Drag across the year bars to choose a range.
  let brushFrom = null;
  let dragged = false;
  const barOf = (el) => el && el.closest && el.closest(".bar[data-year]");
  const paint = (a, b) => {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    for (const bar of results.querySelectorAll(".bar[data-year]")) {
      const y = Number(bar.dataset.year);
      bar.classList.toggle("brush", y >= lo && y <= hi);
    }
  };
  results.addEventListener("pointerdown", (e) => {
    const bar = barOf(e.target);
    if (!bar || e.button !== 0) return;
    brushFrom = Number(bar.dataset.year);
    dragged = false;
  });
  results.addEventListener("pointerover", (e) => {
    const bar = barOf(e.target);
    if (brushFrom === null || !bar) return;
    paint(brushFrom, Number(bar.dataset.year));
  });
  document.addEventListener("pointerup", (e) => {
    if (brushFrom === null) return;
    const bar = barOf(e.target);
    const from = brushFrom;
    brushFrom = null;
    if (!bar || Number(bar.dataset.year) === from) {
      paint(NaN, NaN);
      return; // a plain click: the link sets that one year
    }
    const to = Number(bar.dataset.year);
    dragged = true;
    const url = new URL(location.href);
    url.searchParams.set("since", String(Math.min(from, to)));
    url.searchParams.set("until", String(Math.max(from, to)));
    url.searchParams.delete("offset");
    show(url, "push");
  });
})();
