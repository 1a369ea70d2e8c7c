/* Small behaviours every page shares, as a static file: the Content-Security-Policy allows no
   inline script or event-handler attribute (docs/security.md).
   - <select data-autosubmit> submits its form when changed;
   - <button data-print> prints the page;
   - a form's one-time token (parkportal.once) survives phone Back: when the user comes back
     to a form page through history, the token of the form sent from that page is put back,
     so saving again shows the record already saved instead of writing a second one. */
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
  var entry = window.performance && performance.getEntriesByType ?
    performance.getEntriesByType("navigation")[0] : null;
  var cameBack = entry && entry.type === "back_forward";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  if (store) {
    Array.prototype.forEach.call(document.querySelectorAll("input[name=form_token]"),
      function (input) {
        var key = "form_token:" + window.location.pathname;
        var sent = store.getItem(key);
        if (cameBack && sent) { input.value = sent; }
        if (input.form) {
          input.form.addEventListener("submit", function () { store.setItem(key, input.value); });
        }
      });
  }
}());
