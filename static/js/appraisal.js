/* The appraiser's domain page (templates/appraisal/appraiser/domain.html).
 *
 * Each leaf's decision form <form data-decision-form> shows only what the chosen kind needs:
 * an element with data-when="adjust request" shows for those kinds only (without this
 * script every part shows). The form posts with htmx (hx-post, the leaf
 * <section> swapped); the server answers 400 with the leaf and its error when a decision is
 * refused, which htmx is allowed to swap here. No other dependencies.
 */
(function () {
  "use strict";

  function kindOf(form) {
    var checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "";
  }

  function sync(form) {
    var kind = kindOf(form);
    form.querySelectorAll("[data-when]").forEach(function (el) {
      var kinds = el.dataset.when.split(/\s+/);
      el.hidden = kinds.indexOf(kind) === -1;
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-decision-form]").forEach(function (form) {
      if (form.dataset.piReady) return;
      form.dataset.piReady = "1";
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name === "kind") sync(form);
      });
      sync(form);
    });
  }

  init(document);

  // The page again after a refused decision (without htmx): bring the leaf with the message.
  var refused = document.querySelector("[data-leaf] [data-error]");
  if (refused) refused.closest("[data-leaf]").scrollIntoView({ block: "start" });

  // A refused decision (400) carries the leaf with its message: swap it like a success.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var source = event.detail.elt;
    if (xhr && xhr.status === 400 && source && source.closest && source.closest("[data-appraisal]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () { init(document); });
})();
