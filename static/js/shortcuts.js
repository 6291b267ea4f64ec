// Keyboard shortcuts and undo toasts. Everything they do can be done with the mouse or a plain
// form post too; this file only adds speed. No shortcut fires while typing in a field (only
// Escape, which cancels an inline edit), nor with Ctrl, Alt or Cmd held.
//
//   q  quick add          /  search           ?  this help
//   j  next task          k  previous task    x  complete (or reopen) the current task
//   e  edit its title     u  undo the last change, while its toast shows
(function () {
  "use strict";

  var TOAST_SECONDS = 8;

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(".task-row[data-task]"));
  }

  function currentRow() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest(".task-row[data-task]") : null;
    return row || document.querySelector(".task-row.is-current");
  }

  function focusRow(row) {
    if (!row) return;
    rows().forEach(function (other) { other.classList.remove("is-current"); });
    row.classList.add("is-current");
    var target = row.querySelector(".task-row__title") || row.querySelector("button");
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(currentRow());
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1);
    focusRow(all[next]);
  }

  function clickIn(row, selector) {
    var control = row && row.querySelector(selector);
    if (control) control.click();
    return Boolean(control);
  }

  function openHelp() {
    var help = document.getElementById("shortcuts-help");
    if (help && !help.open) help.showModal();
  }

  var actions = {
    "/": function () {
      var search = document.getElementById("header-search-q");
      if (search) { search.focus(); search.select(); }
    },
    q: function () {
      var title = document.querySelector("#quick-add input[name='title']");
      if (title) { title.focus(); title.scrollIntoView({ block: "nearest" }); }
    },
    j: function () { move(1); },
    k: function () { move(-1); },
    x: function () { clickIn(currentRow(), ".task-row__check"); },
    e: function () { clickIn(currentRow(), "[data-action='edit']"); },
    u: function () { clickIn(document.getElementById("toasts"), "[data-action='undo']"); },
    "?": openHelp,
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      var editing = event.target.closest && event.target.closest(".task-row__edit");
      if (editing && clickIn(editing, "[data-action='cancel']")) {
        event.preventDefault();
      } else if (event.target.matches && event.target.matches("#quick-add input, #header-search-q")) {
        event.target.blur();  // out of the field, so the shortcuts work again
      }
      return;
    }
    if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // A row swapped in place (ticked, renamed, restored) stays the current one.
  document.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    if (row && row.matches && row.matches(".task-row[data-task]") && row.querySelector(":focus")) {
      row.classList.add("is-current");
    }
  });

  // --- Toasts: "Completed “Pay rent”. Undo" for a few seconds, longer while pointed at or
  // focused, and announced by the live region they appear in.
  function arm(toast) {
    if (toast.dataset.armed) return;
    toast.dataset.armed = "1";
    var timer = null;
    var start = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { toast.remove(); }, TOAST_SECONDS * 1000);
    };
    var pause = function () { clearTimeout(timer); };
    toast.addEventListener("mouseenter", pause);
    toast.addEventListener("mouseleave", start);
    toast.addEventListener("focusin", pause);
    toast.addEventListener("focusout", start);
    var close = toast.querySelector("[data-action='dismiss']");
    if (close) close.addEventListener("click", function () { toast.remove(); });
    start();
  }

  function armAll() {
    document.querySelectorAll("#toasts .toast").forEach(arm);
  }

  document.addEventListener("DOMContentLoaded", function () {
    armAll();
    var helpButton = document.querySelector("[data-action='shortcuts']");
    if (helpButton) {
      helpButton.hidden = false;
      helpButton.addEventListener("click", openHelp);
    }
  });
  document.addEventListener("htmx:afterSettle", armAll);
  document.addEventListener("htmx:oobAfterSwap", armAll);

  // After a delete the next row (or the one above) takes the focus, so j/k/x go on from there.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-deleted]").forEach(function (gone) {
      var next = gone.nextElementSibling || gone.previousElementSibling;
      var hadFocus = !document.activeElement || document.activeElement === document.body;
      gone.remove();
      if (hadFocus && next && next.matches(".task-row[data-task]")) focusRow(next);
    });
  });

  // After an undo the lists read themselves again; the restored row takes the focus back.
  var pendingFocus = null;
  document.body.addEventListener("tasks-changed", function (event) {
    pendingFocus = event.detail && event.detail.focus ? event.detail.focus : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pendingFocus) return;
    var restored = document.getElementById(pendingFocus);
    if (restored) {
      pendingFocus = null;
      focusRow(restored);
    }
  });
})();
