/* Preview only (cchc serve): while the content has errors, a panel at the top of every page
   lists them (file:line, what is wrong, how to fix); the page under it is the last good build.
   The list is xem-thu/loi.json, written by every preview build (cchc.buildrun); the browser
   reloads after each build, so the panel is updated on each save and gone when fixed. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = new URL("loi.json", script.src);

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value;
    return node;
  }

  function show(data) {
    var old = document.getElementById("cchc-loi-xem-thu");
    if (old) old.remove();
    if (!data || !data.errors || !data.errors.length) return;
    var panel = document.createElement("section");
    panel.id = "cchc-loi-xem-thu";
    panel.className = "cchc-preview-errors";
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "cchc-loi-xem-thu-tieu-de");
    var heading = text("h2", "", "Nội dung đang có " + data.errors.length + " lỗi");
    heading.id = "cchc-loi-xem-thu-tieu-de";
    panel.appendChild(heading);
    panel.appendChild(text("p", "", data.note));
    var list = document.createElement("ol");
    data.errors.forEach(function (error) {
      var item = document.createElement("li");
      item.appendChild(text("code", "cchc-preview-errors__where", error.where));
      item.appendChild(text("span", "cchc-preview-errors__message", " " + error.message));
      if (error.hint) item.appendChild(text("span", "cchc-preview-errors__hint", "→ Cách sửa: " + error.hint));
      list.appendChild(item);
    });
    panel.appendChild(list);
    if (data.more) panel.appendChild(text("p", "", "… và " + data.more + " lỗi khác (chạy cchc check để xem hết)."));
    var main = document.querySelector(".md-main") || document.body;
    main.parentNode.insertBefore(panel, main);
  }

  function load() {
    fetch(url.href, {cache: "no-store"}).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(show, function () {});
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
