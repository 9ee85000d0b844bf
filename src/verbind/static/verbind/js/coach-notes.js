/* verbind: the coach's private notes on a participant's page, with htmx. A new note comes
   into the list without reloading the page; the form comes back empty, focus goes to the
   new note and the status line (role="status") says it is saved. A note with a mistake
   comes back with its error in the form, as without JavaScript; focus goes to the field.
   A static file (the Content-Security-Policy forbids inline scripts); without JavaScript
   the form posts and the page reloads, as before. See docs/decisions.md. */
(function () {
  "use strict";

  function notesSection(el) {
    return el && el.closest ? el.closest("[data-notes]") : null;
  }

  function sameAddress(a, b) {
    try {
      var x = new URL(a, window.location.href);
      var y = new URL(b, window.location.href);
      return x.origin === y.origin && x.pathname === y.pathname;
    } catch (e) { return false; }
  }

  /* Something went wrong (no connection, logged out, no access any more): the text stays
     in the form, and the status line says what to do. */
  function notSaved(section) {
    var status = document.getElementById("notes-status");
    if (!status) { return; }
    var p = document.createElement("p");
    p.className = "message error";
    p.textContent = section.getAttribute("data-notes-error") || "";
    status.replaceChildren(p);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var d = event.detail;
    var section = notesSection(d.target);
    if (!section) { return; }
    var form = section.querySelector("form");
    var status = d.xhr.status;
    // The notes part comes only from the form's own address (not from a redirect to the
    // login page): 200 with the new note, 400 with the error in the form.
    var fromForm = form && sameAddress(d.xhr.responseURL, form.getAttribute("action"));
    if (fromForm && (status === 200 || status === 400)) {
      d.shouldSwap = true;
      d.isError = false;
    } else {
      d.shouldSwap = false;
      notSaved(section);
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var section = notesSection(event.target);
    if (section) { notSaved(section); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var body = event.target;
    if (!body || body.id !== "notes-body") { return; }
    var target = body.querySelector("[aria-invalid='true']") || document.getElementById("saved-note");
    if (target) { target.focus(); }
  });
})();
