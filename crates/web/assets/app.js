// GNV-uppföljning: small progressive enhancements. Pages work without JavaScript.
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { evt.detail.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
  });
  // Confirmation for destructive actions: <form data-confirm="Är du säker?">
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      evt.preventDefault();
    }
  });
})();
