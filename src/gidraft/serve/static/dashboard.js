// gidraft serve, the dashboard: uploads (one request per file, so each shows its own progress), sorting and
// filtering the reports table, deleting a report, and the charts (Chart.js, shipped with the package).
(() => {
  "use strict";
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));
  const HEADERS = { "X-Gidraft": "1" };

  // ---- uploads
  const queue = $("#queue");
  async function send(file) {
    const item = document.createElement("li");
    item.dataset.state = "checking";
    const name = document.createElement("span");
    name.textContent = file.name;
    const state = document.createElement("span");
    state.className = "state";
    state.textContent = "正在上传并检查…";
    item.append(name, state);
    queue.append(item);
    const form = new FormData();
    form.append("files", file, file.name);
    try {
      const response = await fetch("/api/reports", { method: "POST", body: form, headers: HEADERS });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.error || response.statusText);
      const result = answer.files[0];
      if (result.error) {
        item.dataset.state = "failed";
        state.textContent = (result.id ? "无法读取：" : "未添加：") + result.error;
      } else {
        item.dataset.state = "done";
        state.textContent = `已检查：错误 ${result.errors}，警告 ${result.warnings}，提示 ${result.infos}`;
      }
    } catch (error) {
      item.dataset.state = "failed";
      state.textContent = "上传失败：" + error.message;
    }
  }
  async function sendAll(files) {
    for (const file of files) await send(file); // one at a time: the check uses the whole machine
    if ($$("#queue li[data-state=done]").length) {
      const note = document.createElement("li");
      note.textContent = "检查完成，正在刷新列表…";
      queue.append(note);
      setTimeout(() => location.reload(), 600);
    }
  }
  const picker = $("#picker");
  const drop = $("#drop");
  picker.addEventListener("change", () => sendAll(Array.from(picker.files)));
  for (const kind of ["dragenter", "dragover"]) {
    drop.addEventListener(kind, (event) => { event.preventDefault(); drop.classList.add("over"); });
  }
  for (const kind of ["dragleave", "drop"]) drop.addEventListener(kind, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => { event.preventDefault(); sendAll(Array.from(event.dataTransfer.files)); });

  // ---- the reports table: sort by a column, filter by text and status
  const table = $("#reports");
  if (table) {
    const body = table.tBodies[0];
    const value = (row, index, kind) => {
      const cell = row.cells[index];
      const text = cell.dataset.value ?? cell.textContent.trim();
      return kind === "num" ? Number(text) || 0 : text;
    };
    for (const [index, th] of Array.from(table.tHead.rows[0].cells).entries()) {
      if (!th.dataset.sort) continue;
      th.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const rows = Array.from(body.rows).sort((a, b) => {
          const x = value(a, index, th.dataset.sort), y = value(b, index, th.dataset.sort);
          const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return ascending ? order : -order;
        });
        body.append(...rows);
      });
    }
    const filter = () => {
      const words = $("#filter").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const status = $("#filter-status").value;
      for (const row of body.rows) {
        const text = row.textContent.toLowerCase();
        const statuses = row.dataset.status.split(" ");
        row.hidden = !(words.every((w) => text.includes(w)) && (!status || statuses.includes(status)));
      }
    };
    $("#filter").addEventListener("input", filter);
    $("#filter-status").addEventListener("change", filter);
    body.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-delete]");
      if (!button) return;
      if (!confirm(`删除“${button.dataset.name}”及其全部审阅结论？`)) return;
      const response = await fetch(`/api/reports/${button.dataset.delete}`, { method: "DELETE", headers: HEADERS });
      if (response.ok) location.reload();
    });
  }

  // ---- charts
  const data = JSON.parse($("#charts-data").textContent);
  if (!window.Chart || !$("#chart-families")) return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  const bar = (id, labels, values, color, options = {}) => new Chart($(id), {
    type: "bar",
    data: { labels, datasets: [{ data: values, backgroundColor: color, borderRadius: 3 }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { [options.indexAxis === "y" ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } }, ...options },
  });
  bar("#chart-families", data.families.map((d) => d[0]), data.families.map((d) => d[1]), "#1d63c9");
  bar("#chart-errors", data.errors.map((d) => `${d[0]} 个错误`), data.errors.map((d) => d[1]), "#c62828");
  bar("#chart-common", data.common.map((d) => `${d[0]} ${d[2]}`), data.common.map((d) => d[1]), "#b45309", { indexAxis: "y" });
})();
