// The little JavaScript the portal needs. No inline scripts: the CSP forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Language switcher: submit on change; the button stays for keyboard and no-JS users.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
    select.form.querySelectorAll("button[type=submit]").forEach((button) => { button.hidden = true; });
  });

  // Copy buttons: <button data-copy="#element-id">Copy</button>
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.querySelector(button.dataset.copy);
      if (!source) return;
      const text = (source.value ?? source.textContent).trim();
      const label = button.textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("copy");
      }
      button.textContent = button.dataset.copied || "Copied";
      button.setAttribute("aria-live", "polite");
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  });

  // A table wider than the screen scrolls inside its box: make that box reachable by keyboard.
  const focusableWhenScrolling = () => document.querySelectorAll(".table-wrap").forEach((wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth) wrap.tabIndex = 0; else wrap.removeAttribute("tabindex");
  });
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
});
