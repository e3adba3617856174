/* The review queue of the survey: "select all" for the bulk decision. (The confirmation
   before a form marked data-confirm is sent is common.js's, on every page.) */
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
})();
