// Starts Swagger UI on the API docs page from the vendored bundle (an external script, so the page needs no
// inline script under the Content-Security-Policy). The schema's address comes from the page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("swagger-ui");
    SwaggerUIBundle({
      url: holder.dataset.openapi,
      dom_id: "#swagger-ui",
      validatorUrl: null,
      layout: "BaseLayout",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
    });
  });
})();
