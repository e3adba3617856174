/* Behaviour every page may use, declared in the HTML by data-* attributes, so that the pages
   need no inline script or event-handler attribute (the Content-Security-Policy forbids
   them: script-src 'self').

   - data-confirm="Question?" on a <form>: asked before the form is sent; on a <button>,
     <input type=submit> or <a>: asked before its click does anything. Cancel: nothing sent.
   - data-autosubmit on a <select> or <input>: its form is sent when the value changes.
   - a .modal[data-fill-from-trigger]: when it opens, its <form>'s action becomes the opening
     button's data-action, and each [data-field="x"] inside shows the button's data-x. */
(function () {
  "use strict";

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
        event.stopPropagation(); // capture phase at the document: htmx never sees the submit
      }
    },
    true
  );

  document.addEventListener(
    "click",
    function (event) {
      var el = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
      if (!el || el instanceof HTMLFormElement) return;
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
        event.stopPropagation();
      }
    },
    true
  );

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof Element && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("show.bs.modal", function (event) {
    var modal = event.target;
    var button = event.relatedTarget;
    if (!(modal instanceof Element) || !modal.hasAttribute("data-fill-from-trigger") || !button) {
      return;
    }
    var form = modal.querySelector("form");
    if (form && button.dataset.action) form.action = button.dataset.action;
    modal.querySelectorAll("[data-field]").forEach(function (el) {
      el.textContent = button.dataset[el.dataset.field] || "";
    });
  });
})();
