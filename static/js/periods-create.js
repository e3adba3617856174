/* Tạo đợt đánh giá (periods/create.html). The defaults come from json_script
   (#pi-calendar-defaults), data, not code. */
(function () {
  "use strict";
  // When the year changes: move the dates that still hold the defaults of the old year,
  // and pre-select the active framework of the new year.
  var defaults = JSON.parse(document.getElementById("pi-calendar-defaults").textContent);
  var yearInput = document.getElementById("id_year");
  var nameInput = document.getElementById("id_name");
  var oldYear = yearInput.value;
  yearInput.addEventListener("change", function () {
    var newYear = yearInput.value, from = defaults[oldYear], to = defaults[newYear];
    if (!to) { return; }
    Object.keys(to).forEach(function (phase) {
      ["start", "end"].forEach(function (side, i) {
        var input = document.getElementById("id_" + side + "_" + phase);
        if (input && (!from || input.value === from[phase][i] || input.value === "")) {
          input.value = to[phase][i];
        }
      });
    });
    if (nameInput.value.endsWith(" " + oldYear)) {
      nameInput.value = nameInput.value.slice(0, -oldYear.length) + newYear;
    }
    document.querySelectorAll("select[id^=id_framework_]").forEach(function (select) {
      var best = null;
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.dataset.year === newYear && (best === null || o.dataset.active === "1")) { best = o; }
      });
      select.value = best ? best.value : "";
    });
    oldYear = newYear;
  });
})();
