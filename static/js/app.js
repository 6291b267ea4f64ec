// Bakhmach Business Hub: the little JavaScript the pages use beyond htmx.
// Everything works without it; it only reports htmx requests that failed, which htmx
// itself leaves silent (the page simply does not change).
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("messages");
    if (!region) return;
    var list = document.createElement("ul");
    list.className = "messages";
    var item = document.createElement("li");
    item.className = "message message--error";
    item.setAttribute("role", "alert");
    item.textContent = text;
    list.appendChild(item);
    region.replaceChildren(list);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 404) {
      announce("That item no longer exists. Reload the page to see the current list.");
    } else if (status === 403) {
      announce("Your session has expired. Reload the page and sign in again.");
    } else {
      announce("Something went wrong and nothing was changed. Please try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    announce("The server could not be reached. Check your connection and try again.");
  });

  // "Copy" buttons (hidden without JavaScript, where the field can be selected by hand).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
