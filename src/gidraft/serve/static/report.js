// gidraft serve, the review page of one report: selecting a finding shows its place in the tables and the
// text; decisions and notes are saved at once, one finding per request, so two tabs never overwrite each other.
(() => {
  "use strict";
  const review = document.getElementById("review");
  const report = review.dataset.report;
  const $$ = (root, selector) => Array.from(root.querySelectorAll(selector));
  const ids = (element, name) => (element.dataset[name] || "").split(" ").filter(Boolean);
  const STATE = { accepted: "已确认", dismissed: "已忽略", "": "未处理" };

  function select(id, scrollText = true) {
    for (const element of $$(document, ".active, .related-active")) element.classList.remove("active", "related-active");
    const card = document.getElementById(id);
    if (!card) return;
    card.classList.add("active");
    const places = $$(review, "[data-f]").filter((m) => !m.matches(".finding") && ids(m, "f").includes(id));
    for (const place of places) place.classList.add("active");
    for (const place of $$(review, "[data-r]")) if (ids(place, "r").includes(id)) place.classList.add("related-active");
    if (scrollText && places.length) places[0].scrollIntoView({ block: "center" });
    else card.scrollIntoView({ block: "nearest" });
  }

  review.addEventListener("click", (event) => {
    if (event.target.closest("button, textarea, select, a")) return;
    const card = event.target.closest(".finding");
    if (card) return select(card.id);
    const place = event.target.closest(".text [data-f], .rebuilt td[data-f], .relations [data-f]");
    if (place) select(ids(place, "f")[0], false);
  });

  async function save(card, decision, note) {
    const state = card.querySelector(".state");
    state.textContent = "保存中…";
    try {
      const response = await fetch(`/api/reports/${report}/decisions`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Gidraft": "1" },
        body: JSON.stringify({ fingerprint: card.dataset.fp, decision, note }),
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.error || response.statusText);
      if (answer.decision) card.dataset.decision = answer.decision;
      else delete card.dataset.decision;
      state.textContent = STATE[answer.decision] + "（已保存）";
      card.dataset.saved = "1";
    } catch (error) {
      state.textContent = "未保存：" + error.message;
    }
    document.getElementById("done-count").textContent = $$(review, ".finding[data-decision]").length;
    refresh();
  }

  for (const card of $$(review, ".finding")) {
    const note = card.querySelector(".note");
    for (const button of $$(card, ".decide button")) {
      button.addEventListener("click", () => save(card, button.dataset.decision, note.value));
    }
    note.addEventListener("change", () => save(card, card.dataset.decision || "", note.value));
  }

  // ---- filters: severity, rule family, status
  function refresh() {
    const value = (id) => (document.getElementById(id) || { value: "" }).value;
    const sev = value("f-sev"), family = value("f-family"), status = value("f-status");
    const shown = new Set();
    for (const card of $$(review, ".finding")) {
      const decision = card.dataset.decision || "";
      card.hidden = !((!sev || card.dataset.sev === sev) && (!family || card.dataset.family === family)
        && (!status || (status === "open" ? !decision : decision === status)));
      if (!card.hidden) shown.add(card.id);
    }
    for (const place of $$(review, ".text [data-f], .rebuilt td[data-f]")) {
      place.classList.toggle("off", !ids(place, "f").some((id) => shown.has(id)));
    }
  }
  for (const id of ["f-sev", "f-family", "f-status"]) {
    const element = document.getElementById(id);
    if (element) element.addEventListener("change", refresh);
  }
  refresh();
})();
