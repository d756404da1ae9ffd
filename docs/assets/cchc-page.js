/* The site's own page behaviour, in a file (no inline script or on… attribute), so that the
 * Content-Security-Policy of scripts/nginx/cchc.conf allows scripts from the site only.
 *   - article pages: "In bài viết" prints, "Sao chép liên kết" copies the article's address;
 *   - "Nhận tin qua RSS/Atom": the "Sao chép" buttons, shown only where the browser can copy
 *     (navigator.clipboard, https).
 */
(function () {
  "use strict";

  document.querySelectorAll(".cchc-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll(".cchc-copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var status = button.parentNode.querySelector(".cchc-copy-status");
      var url = button.getAttribute("data-url");
      function done(ok) { status.textContent = ok ? "Đã sao chép liên kết." : "Không sao chép được, hãy chọn địa chỉ: " + url; }
      if (navigator.clipboard) { navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); }); }
      else { done(false); }
    });
  });

  if (navigator.clipboard) {
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
  }
})();
