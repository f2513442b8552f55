// Homework instructions: the textarea becomes a small editor with the lesson
// editor's toolbar (assignments.forms.RichTextInstructions). The textarea
// stays in the form and receives the HTML; the server cleans it with nh3.
// Without this script the textarea works as plain text.
(function () {
  "use strict";

  // Icons drawn here (no icon font, no emoji a cheap phone may lack).
  var LINES = '<path d="M9 5h12v2H9zM9 11h12v2H9zM9 17h12v2H9z"/>';
  var BUTTONS = {
    bold: { command: "bold", html: "B" },
    italic: { command: "italic", html: "I" },
    ul: { command: "insertUnorderedList", svg: LINES +
      '<circle cx="4.5" cy="6" r="1.8"/><circle cx="4.5" cy="12" r="1.8"/>' +
      '<circle cx="4.5" cy="18" r="1.8"/>' },
    ol: { command: "insertOrderedList", svg: LINES +
      '<text x="1.5" y="8.5" font-size="8">1</text>' +
      '<text x="1.5" y="14.5" font-size="8">2</text>' +
      '<text x="1.5" y="20.5" font-size="8">3</text>' },
    link: { command: "createLink", svg:
      '<path d="M10 14a4 4 0 0 0 5.7 0l3.6-3.6a4 4 0 0 0-5.7-5.7l-1.4 1.4 1.4 ' +
      '1.4 1.4-1.4a2 2 0 0 1 2.9 2.9L14.3 12.6a2 2 0 0 1-2.9 0zM14 10a4 4 0 0 ' +
      '0-5.7 0l-3.6 3.6a4 4 0 0 0 5.7 5.7l1.4-1.4-1.4-1.4-1.4 1.4a2 2 0 0 1-2.9' +
      '-2.9l3.6-3.6a2 2 0 0 1 2.9 0z"/>' },
    superscript: { command: "superscript", html: "x<sup>2</sup>" },
    subscript: { command: "subscript", html: "x<sub>2</sub>" },
  };
  var SAFE_LINK = /^(https?:\/\/|mailto:)/i;

  function button(name, label) {
    var spec = BUTTONS[name];
    var b = document.createElement("button");
    b.type = "button";
    b.className = "rich-text__button rich-text__button--" + name;
    b.dataset.command = spec.command;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.innerHTML = spec.svg ?
      '<svg viewBox="0 0 24 24" aria-hidden="true">' + spec.svg + "</svg>" : spec.html;
    if (name !== "link") { b.setAttribute("aria-pressed", "false"); }
    return b;
  }

  function isEmpty(editor) {
    return !editor.textContent.trim() && !editor.querySelector("a, li");
  }

  function askLink(labels) {
    var url = window.prompt(labels.link_prompt, "https://");
    if (url === null || !url.trim() || url.trim() === "https://") { return null; }
    url = url.trim();
    if (!SAFE_LINK.test(url)) {
      window.alert(labels.link_invalid);
      return null;
    }
    return url;
  }

  function enhance(textarea) {
    var config = JSON.parse(textarea.dataset.richText);
    var labels = config.labels;
    var wrapper = document.createElement("div");
    wrapper.className = "rich-text";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-text__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar);
    config.features.forEach(function (name) {
      if (BUTTONS[name]) { toolbar.appendChild(button(name, labels[name])); }
    });
    var editor = document.createElement("div");
    editor.className = "rich-text__editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      editor.setAttribute("aria-label", label.textContent.trim());
      label.addEventListener("click", function () { editor.focus(); });
    }
    editor.innerHTML = textarea.value;
    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", wrapper);
    var help = textarea.parentNode.querySelector(".help");
    if (help) { help.textContent = labels.help; }

    function sync() {
      textarea.value = isEmpty(editor) ? "" : editor.innerHTML;
    }

    function refresh() {
      toolbar.querySelectorAll("[aria-pressed]").forEach(function (b) {
        var on = false;
        try { on = document.queryCommandState(b.dataset.command); } catch (e) { on = false; }
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }

    toolbar.addEventListener("mousedown", function (event) {
      // Keep the selection in the editor while a button is pressed.
      if (event.target.closest("button")) { event.preventDefault(); }
    });
    toolbar.addEventListener("click", function (event) {
      var b = event.target.closest("button");
      if (!b) { return; }
      editor.focus();
      document.execCommand("defaultParagraphSeparator", false, "p");
      if (b.dataset.command === "createLink") {
        var url = askLink(labels);
        if (url) { document.execCommand("createLink", false, url); }
      } else {
        document.execCommand(b.dataset.command, false, null);
      }
      sync();
      refresh();
    });
    editor.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    editor.addEventListener("input", sync);
    editor.addEventListener("keyup", refresh);
    editor.addEventListener("mouseup", refresh);
    editor.addEventListener("paste", function (event) {
      // Pasted text arrives plain: no fonts or colours from other programs.
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      event.preventDefault();
      document.execCommand("insertText", false, text);
    });
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
})();
