/* Phân công tiêu chí (periods/contributors.html): the count of the ticked rows and the bulk
   button enabled only when one is ticked. */
(function () {
  "use strict";
  var boxes = Array.from(document.querySelectorAll(".pi-check"));
  var n = document.getElementById("n-checked");
  var button = document.getElementById("bulk-apply");
  function update() {
    var k = boxes.filter(function (b) { return b.checked; }).length;
    if (n) n.textContent = k;
    if (button) button.disabled = k === 0;
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
