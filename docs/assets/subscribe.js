/* "Sao chép" buttons of the feed list page (nhan-tin/, overrides/cchc/subscribe.html): shown only
   where the browser can copy (navigator.clipboard, https); a status line says what was copied. */
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  var status = document.getElementById("cchc-feed-copy-status");
  document.querySelectorAll(".cchc-feed-copy-hint").forEach(function (hint) { hint.hidden = false; });
  document.querySelectorAll(".cchc-feed-copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.classList.add("cchc-feed-copy--done");
        if (status) status.textContent = "Đã sao chép địa chỉ " + button.getAttribute("data-copy");
        setTimeout(function () { button.classList.remove("cchc-feed-copy--done"); }, 2000);
      });
    });
  });
})();
