// Keeps an import's progress current without reloading the page: asks the same address for
// JSON every two seconds, and reloads once the import has finished to show the outcome.
const region = document.getElementById("import-status");
const bar = document.getElementById("import-progress");
const percent = document.getElementById("import-percent");

async function poll() {
  const response = await fetch(window.location.pathname, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const state = await response.json();
  if (state.status !== "importing") {
    window.location.reload();
    return;
  }
  bar.value = state.progress;
  bar.textContent = `${state.progress}%`;
  percent.textContent = String(state.progress);
  window.setTimeout(poll, 2000);
}

if (region && bar && region.dataset.status === "importing") {
  window.setTimeout(poll, 2000);
}
