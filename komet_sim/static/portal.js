// Komet Sales simulator — importer portal. Progressive enhancement only: every form works without it.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Forms that destroy something ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // The Setup menu closes when you click elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  onReady(function () {
    // New Token: show the Vendor or Customer select for the chosen type.
    var typeSelect = document.getElementById("token-type");
    function showForType() {
      document.querySelectorAll("[data-for-type]").forEach(function (el) {
        el.hidden = el.getAttribute("data-for-type") !== typeSelect.value;
      });
    }
    if (typeSelect) {
      typeSelect.addEventListener("change", showForType);
      showForType();
    }

    // New Token: method counter and one-click presets (tick exactly the preset's methods).
    var boxes = document.querySelectorAll("input[type=checkbox][name=methods]");
    var counter = document.getElementById("methods-count");
    function count() {
      if (!counter) return;
      var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      counter.textContent = n + " of " + boxes.length + " selected";
    }
    boxes.forEach(function (b) { b.addEventListener("change", count); });
    document.querySelectorAll("button[data-preset]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var wanted = button.getAttribute("data-preset").split(",").filter(Boolean);
        boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) !== -1; });
        count();
        var note = document.getElementById("preset-note");
        if (note) note.textContent = button.textContent.trim() + ": " + wanted.length + " methods ticked";
      });
    });

    // Token generated: Copy puts the token on the clipboard and says so.
    var copy = document.getElementById("copy-token");
    if (copy) {
      copy.addEventListener("click", function () {
        var input = document.getElementById(copy.getAttribute("data-copy-target"));
        var status = document.getElementById("copy-status");
        function done(ok) {
          status.hidden = false;
          status.textContent = ok ? "Copied" : "Press Ctrl+C to copy the selected token";
        }
        function fallback() {
          input.focus();
          input.select();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          done(ok);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { done(true); }, fallback);
        } else {
          fallback();
        }
      });
    }

    // In transit: a "select all" box per AWB.
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      all.addEventListener("change", function () {
        all.closest("form").querySelectorAll("input[name=boxCode]").forEach(function (b) { b.checked = all.checked; });
      });
    });

    // Filters that apply as soon as they change.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
