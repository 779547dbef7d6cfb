// Tap targets smaller than `least` CSS pixels either way. Links inside a
// sentence are exempt (WCAG 2.5.5/2.5.8 "inline"), as are hidden elements.
function smallTapTargets(least) {
  var found = [];
  var selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  document.querySelectorAll(selector).forEach(function (element) {
    var rect = element.getBoundingClientRect();
    var style = getComputedStyle(element);
    if (!rect.width || !rect.height || style.visibility === "hidden" || element.closest("[hidden], .visually-hidden, .skip-link, #wagtail-userbar")) {
      return;
    }
    if (element.tagName === "A" && style.display === "inline") {
      var block = element.parentElement.closest("p, li, dd, td, figcaption, blockquote, div");
      if (block && block.textContent.trim().length > element.textContent.trim().length + 1) {
        return;
      }
    }
    if (rect.width < least - 0.5 || rect.height < least - 0.5) {
      found.push((element.tagName + " " + (element.textContent || element.name || "").trim().slice(0, 20) + " " + Math.round(rect.width) + "x" + Math.round(rect.height)));
    }
  });
  return found;
}
