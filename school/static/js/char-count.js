/* Live character count under text boxes with a limit (CountedTextField).
 *
 * The box has no maxlength, so a long paste is never cut: the count says how
 * many characters there are and, past the limit, how many are too many. The
 * server refuses an over-long text with the same words and keeps it. The
 * wording comes from data attributes (translated), so a strict CSP holds.
 */
(function () {
  "use strict";

  function length(text) {
    // Characters as the server counts them (code points, one per line break).
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  document.querySelectorAll("[data-count-for]").forEach(function (counter) {
    var box = document.getElementById(counter.getAttribute("data-count-for"));
    if (!box) {
      return;
    }
    var max = Number(counter.getAttribute("data-max"));
    var described = (box.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(counter.id) < 0) {
      box.setAttribute(
        "aria-describedby",
        described.concat([counter.id]).join(" ").trim()
      );
    }

    function update() {
      var count = length(box.value);
      var over = count - max;
      counter.textContent =
        over > 0
          ? fill(counter.getAttribute("data-over-text"), { over: over, max: max })
          : fill(counter.getAttribute("data-text"), { count: count, max: max });
      counter.classList.toggle("char-count--over", over > 0);
      if (over > 0) {
        counter.setAttribute("role", "alert");
        box.setAttribute("aria-invalid", "true");
      } else {
        counter.removeAttribute("role");
        if (!box.closest(".field--error")) {
          box.removeAttribute("aria-invalid");
        }
      }
    }

    counter.hidden = false;
    box.addEventListener("input", update);
    update();
  });
})();
