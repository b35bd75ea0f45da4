// ASINFO simulator — the grower's portal. Progressive enhancement only: every form works without it.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Forms and buttons that destroy something ask first (data-confirm on the form or on the button pressed).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
                   (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) event.preventDefault();
  });

  onReady(function () {
    // Filters and the farm switcher apply as soon as they change.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // AWB page: typing a number of boxes ticks the line; "select all" ticks every line.
    document.querySelectorAll("input[data-ticks]").forEach(function (input) {
      input.addEventListener("input", function () {
        var box = document.getElementById(input.getAttribute("data-ticks"));
        if (box) box.checked = input.value !== "" && input.value !== "0";
      });
    });
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      all.addEventListener("change", function () {
        all.closest("form").querySelectorAll("input[name=line]").forEach(function (b) { b.checked = all.checked; });
      });
    });

    // New AWB: a typed number wins over the airline's stock; say so (the select stays enabled, so the
    // airline chosen is still there if the typed number is refused).
    var typed = document.getElementById("number");
    var airline = document.getElementById("airline");
    function showSource() {
      if (typed && airline) airline.classList.toggle("superseded", typed.value.trim() !== "");
    }
    if (typed && airline) { typed.addEventListener("input", showSource); showSource(); }
  });
})();
