/* Elderly mode (长辈模式) before the first paint. The choice is kept on the
 * device (localStorage); a logged-in member's account choice wins and is
 * copied to the device. The server never renders the mode into a page, so a
 * page cached for every visitor stays the same for all of them. */
(function () {
  "use strict";
  var root = document.documentElement;
  // Scripts run: the header's switch is laid out from the first paint (shown
  // later, it would push the page down as it loads).
  root.classList.add("js");
  var account = root.getAttribute("data-account-elderly");
  var on;
  try {
    if (account !== null) {
      window.localStorage.setItem("school.elderly", account);
    }
    on = window.localStorage.getItem("school.elderly") === "1";
  } catch (error) {
    on = account === "1";
  }
  if (on) {
    root.classList.add("elderly");
  }
})();
