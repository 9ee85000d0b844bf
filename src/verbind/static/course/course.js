/* verbind course pages: autosave that never loses a word, read aloud, text size and
   contrast. A static file (the Content-Security-Policy forbids inline scripts); every
   page works without it. */
(function () {
  "use strict";

  var root = document.documentElement;
  var PREFS = "verbind:reading-prefs";

  function msg(name, values) {
    var el = document.getElementById("course-js-messages");
    var text = (el && el.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.replace("%(" + k + ")s", values[k]);
    });
    return text;
  }

  function store(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); }
      else { window.localStorage.setItem(key, JSON.stringify(value)); }
      return true;
    } catch (e) { return false; }
  }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); }
    catch (e) { return null; }
  }

  /* --- text size and contrast: classes on <html>, remembered in this browser --- */
  function applyPrefs(p) {
    root.classList.remove("course-text-large", "course-text-xlarge", "course-contrast");
    if (p.size === "large") { root.classList.add("course-text-large"); }
    if (p.size === "xlarge") { root.classList.add("course-text-xlarge"); }
    if (p.contrast) { root.classList.add("course-contrast"); }
    document.querySelectorAll("[data-text-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-text-size") === (p.size || "normal")));
    });
    document.querySelectorAll("[data-contrast]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!p.contrast));
    });
  }
  var prefs = load(PREFS) || {};
  applyPrefs(prefs);
  document.querySelectorAll("[data-reading-tools]").forEach(function (t) { t.hidden = false; });
  document.addEventListener("click", function (ev) {
    var size = ev.target.closest("[data-text-size]");
    if (size) {
      prefs.size = size.getAttribute("data-text-size");
      store(PREFS, prefs); applyPrefs(prefs);
    }
    if (ev.target.closest("[data-contrast]")) {
      prefs.contrast = !prefs.contrast;
      store(PREFS, prefs); applyPrefs(prefs);
    }
  });

  /* --- read aloud with the browser's own speech (no external service) --- */
  var speech = window.speechSynthesis;
  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    if (!speech || typeof window.SpeechSynthesisUtterance === "undefined") { return; }
    button.hidden = false;
    var lang = button.getAttribute("data-lang") === "en" ? "en-GB" : "nl-NL";
    function voiceFor() {
      var voices = speech.getVoices() || [];
      return voices.filter(function (v) { return v.lang === lang; })[0] ||
        voices.filter(function (v) { return v.lang && v.lang.slice(0, 2) === lang.slice(0, 2); })[0] || null;
    }
    function setSpeaking(on) {
      button.setAttribute("aria-pressed", String(on));
      button.textContent = button.getAttribute(on ? "data-label-stop" : "data-label-start");
    }
    setSpeaking(false);
    button.addEventListener("click", function () {
      if (speech.speaking) { speech.cancel(); setSpeaking(false); return; }
      var target = document.getElementById(button.getAttribute("data-target"));
      if (!target) { return; }
      var utterance = new window.SpeechSynthesisUtterance(target.innerText);
      utterance.lang = lang;
      var voice = voiceFor();
      if (voice) { utterance.voice = voice; }
      utterance.rate = 0.9;
      utterance.onend = utterance.onerror = function () { setSpeaking(false); };
      speech.speak(utterance);
      setSpeaking(true);
    });
  });

  /* --- autosave: the browser keeps the text until the server confirms it --- */
  function Autosave(form) {
    this.form = form;
    this.textarea = form.querySelector("textarea[name=text]");
    this.status = form.querySelector(".save-status");
    this.key = form.getAttribute("data-storage-key");
    this.timer = null;
    this.inFlight = false;
    this.again = false;
    var self = this;
    var kept = load(this.key);
    if (kept && typeof kept.text === "string" && kept.text !== this.textarea.value) {
      this.textarea.value = kept.text;
      this.say(msg("restored"));
      this.save();
    } else if (kept) {
      store(this.key, null);  // the server already has exactly this text
    }
    this.textarea.addEventListener("input", function () {
      store(self.key, { text: self.textarea.value, at: Date.now() });
      window.clearTimeout(self.timer);
      self.timer = window.setTimeout(function () { self.save(); }, 1200);
    });
    form.addEventListener("submit", function () {
      // The plain form post carries the text; keep the browser copy until the page
      // that comes back shows the server has it.
      store(self.key, { text: self.textarea.value, at: Date.now() });
    });
  }
  Autosave.prototype.say = function (text) { if (this.status) { this.status.textContent = text; } };
  Autosave.prototype.save = function () {
    var self = this;
    if (this.inFlight) { this.again = true; return; }
    if (!load(this.key)) { return; }  // nothing unsaved
    if (navigator.onLine === false) { this.say(msg("offline")); return; }
    var sent = this.textarea.value;
    var body = new FormData();
    body.append("text", sent);
    body.append("action", "save");
    var token = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    this.inFlight = true;
    this.say(msg("saving"));
    // getAttribute: the form has a control named "action", which hides form.action.
    window.fetch(this.form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",  // a redirect means the session ended: do not follow it
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        self.say(msg("logged-out"));
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok && data.saved) {
          if (self.textarea.value === sent) { store(self.key, null); }
          self.say(msg("saved", { time: data.saved_at }));
        } else {
          self.say(data.error || msg("failed"));
        }
      });
    }).catch(function () {
      self.say(navigator.onLine === false ? msg("offline") : msg("failed"));
    }).then(function () {
      self.inFlight = false;
      if (self.again) { self.again = false; self.save(); }
    });
  };

  var savers = [];
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    savers.push(new Autosave(form));
  });
  window.addEventListener("online", function () {
    savers.forEach(function (s) { s.save(); });
  });
  // Try again now and then while something is unsaved (a server that was briefly down).
  window.setInterval(function () { savers.forEach(function (s) { s.save(); }); }, 15000);

  /* --- the summary: the ticked answers and the plan are kept like an exercise's text:
     in this browser at once, on the server shortly after (action=save, JSON) --- */
  document.querySelectorAll("form[data-summary-autosave]").forEach(function (form) {
    var key = form.getAttribute("data-storage-key");
    var plan = form.querySelector("textarea[name=plan]");
    var status = form.querySelector(".save-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null, inFlight = false, again = false;
    function say(text) { if (status) { status.textContent = text; } }
    function snapshot() {
      var chosen = [];
      form.querySelectorAll("input[type=checkbox][name=include]").forEach(function (box) {
        if (box.checked) { chosen.push(box.value); }
      });
      return { plan: plan ? plan.value : "", include: chosen };
    }
    function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
    function save() {
      if (inFlight) { again = true; return; }
      if (!load(key)) { return; }
      if (navigator.onLine === false) { say(msg("offline")); return; }
      var sent = snapshot();
      var body = new FormData(form);
      body.set("action", "save");
      inFlight = true;
      say(msg("saving"));
      window.fetch(form.getAttribute("action"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          say(msg("logged-out"));
          return null;
        }
        return response.json().then(function (data) {
          if (response.ok && data.saved) {
            if (same(snapshot(), sent)) { store(key, null); }
            say(msg("saved", { time: data.saved_at }));
          } else {
            say(data.error || msg("failed"));
          }
        });
      }).catch(function () {
        say(navigator.onLine === false ? msg("offline") : msg("failed"));
      }).then(function () {
        inFlight = false;
        if (again) { again = false; save(); }
      });
    }
    function changed() {
      store(key, snapshot());
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 800);
    }
    var kept = load(key);
    if (kept && !same(kept, snapshot())) {
      if (plan && typeof kept.plan === "string") { plan.value = kept.plan; }
      form.querySelectorAll("input[type=checkbox][name=include]").forEach(function (box) {
        box.checked = (kept.include || []).indexOf(box.value) !== -1;
      });
      say(msg("restored"));
      save();
    } else if (kept) {
      store(key, null);  // the server already has exactly this
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () { store(key, snapshot()); });
    savers.push({ save: save });
  });

  /* --- a photo that is too large is refused before it is sent --- */
  document.querySelectorAll("form.photo-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var maxMb = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!input || !maxMb) { return; }
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > maxMb * 1024 * 1024 ? msg("photo-too-large", { max: maxMb }) : "");
      input.reportValidity();
    });
  });

  /* --- check-in: each answer chosen is kept on the server soon after (the step's
     "Next" button keeps them too, also without JavaScript). One request at a time; a
     step is sent only after a save that is under way has finished. --- */
  document.querySelectorAll("form[data-check-in-autosave]").forEach(function (form) {
    var status = form.querySelector(".save-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null, inFlight = false, again = false, submitAfter = null;
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      if (inFlight) { again = true; return; }
      var body = new FormData(form);
      body.set("action", "save");
      inFlight = true;
      window.fetch(form.getAttribute("action"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          say(msg("answer-not-saved"));
          return null;
        }
        return response.json().then(function (data) {
          say(data.saved ? msg("saved", { time: data.saved_at }) : (data.error || msg("answer-not-saved")));
        });
      }).catch(function () {
        say(msg("answer-not-saved"));
      }).then(function () {
        inFlight = false;
        if (submitAfter) {
          var button = submitAfter;
          submitAfter = null;
          if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
        } else if (again) { again = false; save(); }
      });
    }
    form.addEventListener("change", function (ev) {
      if (!ev.target.matches("input[type=radio]")) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 700);
    });
    form.addEventListener("submit", function (ev) {
      window.clearTimeout(timer);  // the step's own post carries every answer on it
      again = false;
      if (inFlight) {
        ev.preventDefault();
        submitAfter = ev.submitter || form.querySelector("button[type=submit]");
      }
    });
  });

  /* --- check-in: a "yes" to the safety question shows crisis help at once --- */
  var crisis = document.querySelector("[data-crisis-now]");
  if (crisis) {
    document.querySelectorAll("input[type=radio][name=context_safety]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        crisis.hidden = !(radio.checked && radio.value === "yes");
      });
    });
  }
})();
