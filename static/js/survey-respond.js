// The respondent's form: bring the server's message into view when it refused the page,
// and clear a question's error mark as soon as one of its options is chosen.
(function () {
  "use strict";
  var form = document.getElementById("respond-form");
  if (!form) return;
  var error = document.getElementById("form-error");
  if (error) error.scrollIntoView({ block: "start" });
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest(".pi-question-error");
    if (!fieldset) return;
    fieldset.classList.remove("pi-question-error", "border-start", "border-3", "border-danger", "ps-2");
    var message = fieldset.querySelector(".text-danger[role=alert]");
    if (message) message.remove();
  });
})();
