// Sijill's GraphiQL page: the endpoint is the page's own URL; a bearer token goes in the
// Headers tab ({"Authorization": "Bearer <token>"}). Headers are not kept in localStorage.
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# Sijill GraphiQL",
    "#",
    "# Without a token, only `programs`, `__typename`",
    "# and introspection run (none in production).",
    "# Paste a token in the Headers tab below:",
    "#",
    '#   {"Authorization": "Bearer <token>"}',
    "#",
    "# A development token: sijill token --role admin",
    "# then ask: { me { subject roles allowedFields } }",
    "# The schema shown is what your token may select.",
    "# Run: Ctrl-Enter (or the play button).",
    "",
    "{ programs { code name threshold } }",
    "",
  ].join("\n");

  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });

  function SijillGraphiQL() {
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      defaultHeaders: "{}",
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(SijillGraphiQL)
  );
})();
