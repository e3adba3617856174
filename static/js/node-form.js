/* Thêm/sửa tiêu chí (frameworks/node_form.html): show the fields of the chosen rule type and
   mode only. */
(function () {
  "use strict";
  var select = document.getElementById("id_rule_type");
  var mode = document.getElementById("id_mode");
  if (!select) return;
  function show() {
    document.querySelectorAll("[data-rule]").forEach(function (el) {
      el.hidden = el.dataset.rule.split(" ").indexOf(select.value) < 0;
    });
    document.querySelectorAll("[data-mode]").forEach(function (el) {
      el.hidden = !mode || mode.value !== el.dataset.mode;
    });
  }
  select.addEventListener("change", show);
  if (mode) mode.addEventListener("change", show);
  show();
})();
