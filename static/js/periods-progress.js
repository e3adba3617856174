/* Tiến độ tự đánh giá (periods/progress.html): the reminder's ticked units, their count and
   "tick all". (The extend/reopen modals are filled by common.js: data-fill-from-trigger.) */
(function () {
  "use strict";
  var boxes = Array.from(document.querySelectorAll(".pi-remind"));
  var all = document.getElementById("check-all");
  var button = document.getElementById("remind-button");
  var count = document.getElementById("remind-count");
  function update() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    if (count) count.textContent = n;
    if (button) button.disabled = n === 0;
    if (all) all.checked = n > 0 && n === boxes.length;
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  if (all) {
    all.disabled = boxes.length === 0;
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  update();
})();
