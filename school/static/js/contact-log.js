// 记录联系: the home-study fields (minutes, lessons, topic) matter only for
// 送学上门, so they show only while that kind is chosen. Without JavaScript
// they stay visible, and the server ignores them for other kinds.
(function () {
  "use strict";

  var kind = document.querySelector(".contact-form select[name=kind]");
  var home = document.querySelector("[data-home-study]");
  if (!kind || !home) {
    return;
  }
  function update() {
    home.hidden = kind.value !== "home_delivered";
  }
  kind.addEventListener("change", update);
  update();
})();
