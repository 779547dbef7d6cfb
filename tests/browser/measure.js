// Measurements of a rendered page for the reach tests (tests/browser/reach.py):
// one object with the page's width, its small tap targets, its text sizes and
// its text contrast, all from computed styles.
(function () {
  "use strict";

  function shown(element) {
    var rect = element.getBoundingClientRect();
    var style = getComputedStyle(element);
    return (
      rect.width > 0 && rect.height > 0 && style.visibility !== "hidden" &&
      !element.closest("[hidden], .visually-hidden, #wagtail-userbar, .skip-link")
    );
  }

  function name(element) {
    var text = (element.textContent || element.getAttribute("aria-label") || element.name || "").trim();
    return element.tagName.toLowerCase() + " " + text.replace(/\s+/g, " ").slice(0, 24);
  }

  // Tap targets smaller than `least` CSS pixels either way. Links inside a
  // sentence are exempt (WCAG 2.5.5/2.5.8 "inline").
  function smallTapTargets(least) {
    var found = [];
    var selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
    document.querySelectorAll(selector).forEach(function (element) {
      if (!shown(element)) {
        return;
      }
      var rect = element.getBoundingClientRect();
      var style = getComputedStyle(element);
      if (element.tagName === "A" && style.display === "inline") {
        var block = element.parentElement.closest("p, li, dd, td, figcaption, blockquote, div");
        if (block && block.textContent.trim().length > element.textContent.trim().length + 1) {
          return;
        }
      }
      if (rect.width < least - 0.5 || rect.height < least - 0.5) {
        found.push(name(element) + " " + Math.round(rect.width) + "x" + Math.round(rect.height));
      }
    });
    return found;
  }

  function parse(colour) {
    var parts = colour.match(/[\d.]+/g).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }

  function over(top, bottom) {
    var a = top.a + bottom.a * (1 - top.a);
    if (!a) {
      return { r: 255, g: 255, b: 255, a: 0 };
    }
    function mix(key) {
      return (top[key] * top.a + bottom[key] * bottom.a * (1 - top.a)) / a;
    }
    return { r: mix("r"), g: mix("g"), b: mix("b"), a: a };
  }

  // The colour behind an element: its own and its ancestors' background
  // colours laid over one another, on the white of the canvas.
  function background(element) {
    var layers = [];
    for (var node = element; node && node.nodeType === 1; node = node.parentElement) {
      var colour = parse(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) {
          break;
        }
      }
    }
    var result = { r: 255, g: 255, b: 255, a: 1 };
    for (var i = layers.length - 1; i >= 0; i -= 1) {
      result = over(layers[i], result);
    }
    return result;
  }

  function luminance(colour) {
    function channel(value) {
      var c = value / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b);
  }

  function ratio(one, two) {
    var a = luminance(one);
    var b = luminance(two);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  // Every element that shows text of its own: its font size, line height and
  // contrast against what lies behind it.
  function texts() {
    var found = [];
    document.querySelectorAll("body *").forEach(function (element) {
      var own = Array.prototype.some.call(element.childNodes, function (node) {
        return node.nodeType === 3 && /[\u4e00-\u9fff\w]/.test(node.textContent);
      });
      if (!own || !shown(element) || ["SCRIPT", "STYLE", "OPTION", "NOSCRIPT"].indexOf(element.tagName) >= 0) {
        return;
      }
      var style = getComputedStyle(element);
      var back = background(element);
      var fore = over(parse(style.color), back);
      var size = parseFloat(style.fontSize);
      var line = style.lineHeight === "normal" ? size * 1.2 : parseFloat(style.lineHeight);
      found.push({
        text: name(element),
        size: size,
        line: line / size,
        contrast: Math.round(ratio(fore, back) * 100) / 100,
        disabled: element.matches(":disabled")
      });
    });
    return found;
  }

  window.__measure = function (least) {
    var root = getComputedStyle(document.documentElement);
    var body = getComputedStyle(document.body);
    return {
      width: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      small: smallTapTargets(least),
      texts: texts(),
      base: parseFloat(body.fontSize),
      baseLine: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
      rootSize: parseFloat(root.fontSize),
      elderly: document.documentElement.classList.contains("elderly")
    };
  };
})();
