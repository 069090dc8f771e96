// Progressive enhancement only: every page works without this file.
// Copy buttons are hidden in the HTML and shown only where copying works.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("[data-copy-target]")) button.hidden = false;
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value || source.textContent).then(() => {
    const status = document.getElementById(button.dataset.copyStatus || "");
    if (status) status.textContent = "Copied.";
  });
});
