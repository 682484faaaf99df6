// The field report form's map: a tap on the region's outlines sets the latitude and longitude (the SVG is drawn in
// an equirectangular projection whose numbers sit on its data- attributes, so the conversion is exact), typed
// coordinates move the marker, and "use my location" asks the phone. No network, no inline script.
(function () {
  "use strict";
  function setup() {
    var map = document.querySelector("svg.region-map");
    var lat = document.querySelector("input[name=latitude]");
    var lon = document.querySelector("input[name=longitude]");
    if (!lat || !lon) return;
    var marker = map ? map.querySelector(".marker") : null;
    var west = map ? parseFloat(map.dataset.west) : 0, north = map ? parseFloat(map.dataset.north) : 0;
    var perLon = map ? parseFloat(map.dataset.pxPerLon) : 1, perLat = map ? parseFloat(map.dataset.pxPerLat) : 1;
    function place() {
      var y = parseFloat(lat.value), x = parseFloat(lon.value);
      if (!marker) return;
      if (isNaN(x) || isNaN(y)) { marker.setAttribute("cx", -20); marker.setAttribute("cy", -20); return; }
      marker.setAttribute("cx", ((x - west) * perLon).toFixed(1));
      marker.setAttribute("cy", ((north - y) * perLat).toFixed(1));
    }
    function set(y, x) { lat.value = y.toFixed(4); lon.value = x.toFixed(4); place(); }
    if (map) {
      map.addEventListener("click", function (event) {
        var point = map.createSVGPoint();
        point.x = event.clientX; point.y = event.clientY;
        var at = point.matrixTransform(map.getScreenCTM().inverse());
        set(north - at.y / perLat, west + at.x / perLon);
      });
    }
    lat.addEventListener("input", place);
    lon.addEventListener("input", place);
    var locate = document.querySelector("button.locate");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (found) {
          set(found.coords.latitude, found.coords.longitude);
        });
      });
    }
    place();
  }
  document.addEventListener("DOMContentLoaded", setup);
})();
