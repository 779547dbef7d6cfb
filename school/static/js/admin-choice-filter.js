// A search box above a long list of checkboxes (the organisers of a branch):
// typing hides the choices whose label does not contain the text.
(function () {
  "use strict";

  function setUp(box) {
    var list = document.getElementById(box.dataset.choiceFilter);
    if (!list) {
      return;
    }
    var choices = Array.prototype.slice.call(list.children);
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      choices.forEach(function (choice) {
        var label = choice.textContent.toLowerCase();
        choice.hidden = text !== "" && label.indexOf(text) === -1;
      });
    });
    // Enter in the search box must not submit the form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("input[data-choice-filter]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
