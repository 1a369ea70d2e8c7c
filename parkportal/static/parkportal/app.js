/* Small behaviours every page shares, as a static file: the Content-Security-Policy allows no
   inline script or event-handler attribute (docs/security.md).
   - <select data-autosubmit> submits its form when changed;
   - <button data-print> prints the page. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
}());
