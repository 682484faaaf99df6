// Draws every chart of the page: each <script type="application/json" data-chart="ID"> holds a Vega-Lite spec
// for the element ID. Runs on load and after each htmx swap; the vendored Vega bundle needs no network. Vega's
// expressions are run by its CSP-safe interpreter (no eval, no new Function) and neither vega-embed nor its tooltips
// add a <style> (their style is css/vega-tooltip.css), so the page's Content-Security-Policy holds.
(function () {
  "use strict";
  function draw(root) {
    root.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (holder) {
      var target = document.getElementById(holder.dataset.chart);
      if (!target || target.dataset.drawn) return;
      target.dataset.drawn = "pending";
      var options = {
        renderer: "svg", actions: false, defaultStyle: false, tooltip: { disableDefaultStyle: true },
        ast: true, expr: vega.expressionInterpreter,
      };
      vegaEmbed(target, JSON.parse(holder.textContent), options)
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
