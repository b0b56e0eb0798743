// gidraft review page: selecting findings, filters, decisions and their export as a baseline file.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("gidraft-data").textContent);
  const findings = new Map();
  for (const file of data.files) {
    for (const f of file.findings) findings.set(f.id, { ...f, path: file.path, agency: file.agency, year: file.year });
  }
  const RANK = { error: 3, warning: 2, info: 1 };
  const STORE = "gidraft-review:";
  const $$ = (root, selector) => Array.from(root.querySelectorAll(selector));
  const ids = (element, name) => (element.dataset[name] || "").split(" ").filter(Boolean);
  const sectionOf = (element) => element.closest("section.file");
  const motion = matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";

  // ---- selecting a finding: its span in the text and its card in the panel
  let current = null;

  function select(id, { scrollText = true, scrollCard = false } = {}) {
    for (const element of $$(document, ".active, .related-active")) element.classList.remove("active", "related-active");
    const card = document.getElementById(id);
    if (!card) return;
    current = id;
    const section = sectionOf(card);
    showFile(section.id);
    card.classList.add("active");
    const marks = $$(section, ".text mark, .text .pin").filter((m) => ids(m, "f").includes(id));
    for (const mark of marks) mark.classList.add("active");
    for (const mark of $$(section, ".text mark[data-r], .rebuilt td[data-r]")) {
      if (ids(mark, "r").includes(id)) mark.classList.add("related-active");
    }
    for (const cell of $$(section, ".rebuilt td[data-f]")) {
      if (ids(cell, "f").includes(id)) cell.classList.add("active");
    }
    if (scrollText && marks.length) marks[0].scrollIntoView({ block: "center", behavior: motion });
    if (scrollCard) card.scrollIntoView({ block: "nearest", behavior: motion });
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("input, label, button, summary, a")) return;
    const card = event.target.closest(".finding");
    if (card) return select(card.id);
    const mark = event.target.closest(".text [data-f], .rebuilt td[data-f]");
    if (!mark) return;
    const shown = ids(mark, "f").filter((id) => !document.getElementById(id).hidden);
    if (!shown.length) return;
    const next = shown[(shown.indexOf(current) + 1) % shown.length]; // repeated clicks cycle overlapping findings
    select(next, { scrollText: false, scrollCard: true });
  });

  document.addEventListener("keydown", (event) => {
    const card = event.target.closest && event.target.closest(".finding");
    if (card && event.target === card && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(card.id);
    }
  });

  // ---- several files: one shown at a time
  function showFile(sectionId) {
    for (const section of $$(document, "section.file")) section.hidden = section.id !== sectionId;
    for (const button of $$(document, ".files button")) button.classList.toggle("current", button.dataset.target === sectionId);
  }
  for (const button of $$(document, ".files button")) button.addEventListener("click", () => showFile(button.dataset.target));

  // ---- filters and decisions decide what is highlighted
  function worst(list) {
    return list.reduce((a, b) => (RANK[b] > (RANK[a] || 0) ? b : a), "");
  }

  function refresh(section) {
    const checked = (kind) => new Set($$(section, `input[data-filter="${kind}"]:checked`).map((i) => i.value));
    const levels = checked("sev");
    const codes = checked("rule");
    const openOnly = $$(section, 'input[data-filter="open"]:checked').length > 0;
    const shown = new Set();
    for (const card of $$(section, ".finding")) {
      card.hidden = !(levels.has(card.dataset.sev) && codes.has(card.dataset.code) && !(openOnly && card.dataset.decision));
      if (!card.hidden) shown.add(card.id);
    }
    for (const group of $$(section, ".rule-group, .sev-group")) group.hidden = !group.querySelector(".finding:not([hidden])");
    for (const element of $$(section, ".text [data-f], .rebuilt td[data-f]")) {
      const visible = ids(element, "f").filter((id) => shown.has(id));
      const open = visible.filter((id) => !document.getElementById(id).dataset.decision);
      element.dataset.sev = worst(visible.map((id) => findings.get(id).severity));
      element.classList.toggle("off", !visible.length);
      element.classList.toggle("done", visible.length > 0 && !open.length);
    }
  }

  for (const section of $$(document, "section.file")) {
    section.addEventListener("change", (event) => {
      if (event.target.matches("input[data-filter]")) refresh(section);
    });
  }

  // ---- decisions: 已确认 / 忽略 with a note, kept in this browser and exported as reviewed.json
  const key = (id) => STORE + findings.get(id).path + "\u001f" + findings.get(id).fingerprint;

  function remember(card) {
    const value = { decision: card.dataset.decision || "", note: card.querySelector(".note").value };
    try {
      if (value.decision || value.note) localStorage.setItem(key(card.id), JSON.stringify(value));
      else localStorage.removeItem(key(card.id));
    } catch (error) { /* storage unavailable (private mode): decisions live until the page closes */ }
  }

  function decide(card, decision) {
    if (decision) card.dataset.decision = decision;
    else delete card.dataset.decision;
    const radio = card.querySelector(`input[type=radio][value="${decision}"]`);
    if (radio) radio.checked = true;
    document.getElementById("done-count").textContent = $$(document, ".finding[data-decision]").length;
  }

  for (const card of $$(document, ".finding")) {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(key(card.id)) || "null"); } catch (error) { saved = null; }
    if (saved) {
      card.querySelector(".note").value = saved.note || "";
      decide(card, saved.decision || "");
    }
    card.addEventListener("change", (event) => {
      if (event.target.type !== "radio") return;
      decide(card, event.target.value);
      remember(card);
      refresh(sectionOf(card));
    });
    card.querySelector(".note").addEventListener("input", () => remember(card));
  }

  function decisions() {
    const decided = [...findings.values()].filter((f) => document.getElementById(f.id).dataset.decision);
    return decided.map((f) => {
      const card = document.getElementById(f.id);
      return {
        fingerprint: f.fingerprint,
        code: f.code,
        decision: card.dataset.decision,
        note: card.querySelector(".note").value.trim(),
        agency: f.agency ?? null,
        year: f.year ?? null,
        path: f.path,
        message: f.message,
      };
    });
  }

  document.getElementById("export").addEventListener("click", () => {
    const text = JSON.stringify({ version: 1, decisions: decisions() }, null, 2) + "\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = "reviewed.json";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  });

  const first = document.querySelector("section.file");
  if (first) showFile(first.id);
  for (const section of $$(document, "section.file")) refresh(section);
})();
