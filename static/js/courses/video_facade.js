// Hosted videos load nothing from the provider until the reader taps the
// placeholder (security-tests.md PR-04): the player's <iframe> waits inert
// in a <template> and is put in the page only then.
"use strict";
document.querySelectorAll("[data-video-facade]").forEach(function (figure) {
  var button = figure.querySelector("[data-play]");
  var template = figure.querySelector("template[data-player]");
  if (!button || !template) return;
  button.addEventListener("click", function () {
    var player = template.content.cloneNode(true);
    var frame = player.querySelector("iframe");
    if (frame) {
      frame.removeAttribute("loading");
      frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
      try {
        var src = new URL(frame.src);
        src.searchParams.set("autoplay", "1");
        frame.src = src.href;
      } catch (e) { /* keep the provider's address as it is */ }
    }
    button.replaceWith(player);
    if (frame) frame.focus();
  });
});
