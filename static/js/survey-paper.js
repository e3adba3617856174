// Paper-form entry (templates/survey/enumerator/entry.html): keyboard first.
// - Enter moves to the next box (Enter on the last box submits the form);
// - an answer box moves on by itself once the key typed is an option of its question
//   (data-keys) and no longer option starts with it; lower case shown in capitals;
// - a box whose key is not an option is marked at once (the server names it too);
// - changing the group reloads the page for that group's questions.
(function () {
  "use strict";
  var form = document.getElementById("pi-paper-form");
  if (form) {
    var boxes = Array.prototype.slice.call(
      form.querySelectorAll("input[type=text], input:not([type])")
    );
    var next = function (el) {
      var i = boxes.indexOf(el);
      if (i >= 0 && i + 1 < boxes.length) {
        boxes[i + 1].focus();
        boxes[i + 1].select();
        return true;
      }
      return false;
    };
    boxes.forEach(function (el) {
      el.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && !ev.isComposing) {
          if (next(el)) {
            ev.preventDefault();
          }
        }
      });
      var keys = (el.getAttribute("data-keys") || "").split(" ").filter(Boolean);
      if (!keys.length) {
        return;
      }
      el.addEventListener("input", function () {
        var v = el.value.trim().toUpperCase();
        el.value = v;
        var ok = keys.filter(function (k) { return k.toUpperCase() === v; }).length > 0;
        var longer = keys.filter(function (k) {
          return k.length > v.length && k.toUpperCase().indexOf(v) === 0;
        }).length > 0;
        el.classList.toggle("is-invalid", v !== "" && !ok && !longer);
        if (ok && !longer) {
          next(el);
        }
      });
    });
  }
  document.querySelectorAll("[data-pi-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) {
        el.form.submit();
      }
    });
  });
})();
