/* verbind: a "Show password" button on every password field, so a person can check what
   they typed (many older people mistype a password they cannot see).
   includes/form_fields.html wraps each password field in [data-password-toggle] with the
   button's words in the page's language; this file adds the button. Progressive
   enhancement: without JavaScript there is no button and the field stays as it is.
   A static file (the Content-Security-Policy forbids inline scripts); no style attributes.
   The field keeps its name, id and autocomplete, so password managers keep working; it is
   hidden again before the form is sent and when the page comes back from the browser's
   history. See docs/web.md. */
(function () {
  "use strict";

  function show(box, input, button, shown) {
    input.type = shown ? "text" : "password";
    // The words say what a press does; no aria-pressed beside them, or a screen reader
    // would announce "Hide password, pressed" (ARIA authoring practices).
    button.textContent = box.getAttribute(shown ? "data-hide-text" : "data-show-text");
  }

  function enhance(box) {
    var input = box.querySelector("input[type='password']");
    if (!input || !input.id || box.querySelector(".password-toggle")) { return; }
    // Shown as text, a phone must not "correct" or capitalise the password.
    input.setAttribute("autocapitalize", "none");
    input.setAttribute("autocorrect", "off");
    input.setAttribute("spellcheck", "false");

    var button = document.createElement("button");
    button.type = "button"; // never sends the form
    button.className = "password-toggle";
    button.setAttribute("aria-controls", input.id);
    show(box, input, button, false);
    // Focus stays on the button: only its words and the field's type change.
    button.addEventListener("click", function () {
      show(box, input, button, input.type === "password");
    });
    box.appendChild(button);

    if (input.form) {
      input.form.addEventListener("submit", function () { show(box, input, button, false); });
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { show(box, input, button, false); }
    });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-password-toggle]");
    for (var i = 0; i < boxes.length; i++) { enhance(boxes[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
