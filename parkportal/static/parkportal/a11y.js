/* Keyboard access (issue 16), as a static file (the Content-Security-Policy allows no inline
   script):
   - a table wider than its scroll box (.table-responsive) becomes a named, focusable region,
     so the keyboard can scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
   - an open Bootstrap modal keeps Tab inside it, also past its last control (Bootstrap's own
     trap lets Tab leave the page there), and gives focus back to what opened it
     (tests/a11y/test_keyboard.py). */
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
    document.querySelectorAll(".table-responsive, .history-list, .pp-scroll").forEach(function (box) {
      if (box.hasAttribute("tabindex")) { return; }
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
        box.setAttribute("tabindex", "0");
        if (!/^(UL|OL)$/.test(box.tagName)) { box.setAttribute("role", "region"); }  // a list stays a list
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", regionName(box)); }
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
  document.addEventListener("htmx:afterSwap", markScrollable);

  var opener = null;
  document.addEventListener("show.bs.modal", function () { opener = document.activeElement; });
  document.addEventListener("hidden.bs.modal", function () {
    if (opener && opener.focus && document.contains(opener)) { opener.focus(); }
    opener = null;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") { return; }
    var modal = document.querySelector(".modal.show");
    if (!modal) { return; }
    var items = Array.prototype.filter.call(modal.querySelectorAll(
      "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
      "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"),
      function (el) { return el.offsetParent !== null; });
    if (!items.length) { return; }
    var first = items[0], last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || !modal.contains(document.activeElement))) {
      last.focus(); event.preventDefault();
    } else if (!event.shiftKey && (document.activeElement === last || !modal.contains(document.activeElement))) {
      first.focus(); event.preventDefault();
    }
  });
}());
