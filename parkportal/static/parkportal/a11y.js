/* Keyboard access (issue 16), as a static file (the Content-Security-Policy allows no inline
   script):
   - a table wider than its scroll box (.table-responsive) becomes a named, focusable region,
     so the keyboard can scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
   Modal dialogs are Bootstrap's: they keep Tab inside and give focus back to their button
   (tests/a11y/test_keyboard.py holds that). */
(function () {
  "use strict";
  function regionName(box) {
    var card = box.closest(".card");
    var header = card ? card.querySelector(".card-header, h2, h3") : null;
    var caption = box.querySelector("caption");
    var text = (caption || header || {}).textContent || document.title;
    return text.replace(/\s+/g, " ").trim();
  }
  function markScrollable() {
    document.querySelectorAll(".table-responsive, .pp-scroll").forEach(function (box) {
      if (box.hasAttribute("tabindex")) { return; }
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", regionName(box)); }
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
  document.addEventListener("htmx:afterSwap", markScrollable);

}());
