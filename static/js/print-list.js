// Progressive enhancement: the "Print this list" button appears only when this script runs;
// without it, the browser's own Print command prints the same page.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
