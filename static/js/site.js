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
    if (status) status.textContent = button.dataset.copied || "Copied.";
  });
});

// After a refused submit: move focus to the error summary (GOV.UK style), so a keyboard
// or screen-reader user starts at the list of problems; each link focuses its field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  const details = field.closest("details");
  if (details) details.open = true;
  field.scrollIntoView({ block: "center" });
  field.focus();
});

// Character counts: a text box with data-maxlength shows how many characters are left (or
// how many too many), live, instead of the browser's maxlength silently cutting pasted text.
// The server refuses over-long text with the same limit and gives the text back.
document.addEventListener("DOMContentLoaded", () => {
  const format = (n) => n.toLocaleString("en-GB");
  for (const box of document.querySelectorAll("[data-maxlength]")) {
    const limit = Number(box.dataset.maxlength);
    const count = document.createElement("div");
    count.className = "form-text character-count";
    count.id = `${box.id}-count`;
    count.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", count);
    const update = () => {
      const left = limit - box.value.length;
      count.textContent =
        left >= 0
          ? `You have ${format(left)} character${left === 1 ? "" : "s"} remaining`
          : `You have ${format(-left)} character${left === -1 ? "" : "s"} too many`;
      count.classList.toggle("character-count-over", left < 0);
    };
    box.addEventListener("input", update);
    update();
  }
});

// The session form: show the venue only for sessions met in person (in person, hybrid) and
// the joining link only for those with an online part. A part with an error or with
// something typed in it stays visible, so nothing refused or typed is ever hidden.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("[data-attendance-form]")) {
    const radios = form.querySelectorAll("input[name$='attendance_mode']");
    const venue = form.querySelector("[data-attendance-part='venue']");
    const link = form.querySelector("[data-attendance-part='link']");
    if (!radios.length || !venue || !link) continue;
    const keep = (part) => part.querySelector(".is-invalid") !== null;
    const update = () => {
      const mode = form.querySelector("input[name$='attendance_mode']:checked")?.value || "in_person";
      const linkInput = link.querySelector("input");
      venue.hidden = mode === "online" && !keep(venue);
      link.hidden = mode === "in_person" && !keep(link) && !(linkInput && linkInput.value.trim());
    };
    for (const radio of radios) radio.addEventListener("change", update);
    update();
  }
});
