// Sortable tables (class "sortable": click a heading; a cell's data-sort value sorts numbers as numbers) and
// filters (an input with data-filter="TABLE-ID" hides the rows that do not contain what is typed). No network.
(function () {
  "use strict";
  function key(cell) {
    var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    var number = parseFloat(raw);
    return raw !== "" && !isNaN(number) && isFinite(raw) ? number : raw.toLowerCase();
  }
  function sortBy(table, column, heading) {
    var body = table.tBodies[0];
    var descending = heading.dataset.order !== "descending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { delete h.dataset.order; });
    heading.dataset.order = descending ? "descending" : "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column]), y = key(b.cells[column]);
      if (x === y) return 0;
      return (x < y ? -1 : 1) * (descending ? -1 : 1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setUp(root) {
    root.querySelectorAll("table.sortable").forEach(function (table) {
      if (!table.tHead || table.dataset.sortable) return;
      table.dataset.sortable = "yes";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, column) {
        heading.style.cursor = "pointer";
        heading.addEventListener("click", function () { sortBy(table, column, heading); });
      });
    });
    root.querySelectorAll("input[data-filter]").forEach(function (input) {
      var table = document.getElementById(input.dataset.filter);
      if (!table) return;
      input.addEventListener("input", function () {
        var wanted = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.hidden = wanted !== "" && row.textContent.toLowerCase().indexOf(wanted) < 0;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
})();
