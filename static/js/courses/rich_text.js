// Wagtail's Draftail editor without the "/" command palette (see
// courses/widgets.py): in lessons "/" is a fraction bar, not a command.
(function () {
  "use strict";

  function withoutPalette(options) {
    return Object.assign({}, options, { commandToolbar: function () { return null; } });
  }

  // StreamField blocks build their editors through telepath.
  class LessonRichTextArea extends window.draftail.DraftailRichTextArea {
    constructor(options) {
      super(withoutPalette(options));
    }
  }
  window.telepath.register("lophoc.widgets.LessonRichTextArea", LessonRichTextArea);

  // Page fields (a course's description) start theirs from this event,
  // dispatched by Wagtail's w-init controller once the page is ready.
  document.addEventListener("lophoc-draftail:init", function (event) {
    var target = event.target;
    window.draftail.initEditor("#" + target.id, withoutPalette(event.detail || {}), null);
  });
})();
