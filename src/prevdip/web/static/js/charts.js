// Draws every chart of the page: each <script type="application/json" data-chart="ID"> holds a Vega-Lite spec
// for the element ID. Runs on load and after each htmx swap; the vendored Vega bundle needs no network.
(function () {
  "use strict";
  function draw(root) {
    root.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (holder) {
      var target = document.getElementById(holder.dataset.chart);
      if (!target || target.dataset.drawn) return;
      target.dataset.drawn = "pending";
      vegaEmbed(target, JSON.parse(holder.textContent), { renderer: "svg", actions: false })
        .then(function () { target.dataset.drawn = "yes"; })
        .catch(function (problem) {
          target.dataset.drawn = "failed";
          target.textContent = target.dataset.failed + " " + problem.message;  // the words come from the page
          console.error(problem);
        });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
