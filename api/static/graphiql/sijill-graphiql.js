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
    "# The schema shown is what your token may select",
    "# (fetched again when the token changes).",
    "# Run: Ctrl-Enter (or the play button).",
    "",
    "{ programs { code name threshold } }",
    "",
  ].join("\n");

  // The schema shown is the caller's own view (introspection answers from it): when the
  // Authorization header changes, a new fetcher makes GraphiQL introspect again with it, as the
  // Re-fetch button would. Waits for typing to pause; an unfinished JSON text changes nothing.
  var REFETCH_AFTER_MS = 400;

  function authorizationOf(text) {
    try {
      var headers = JSON.parse(text || "{}");
      if (headers === null || typeof headers !== "object") return undefined;
      return headers.Authorization || headers.authorization || "";
    } catch (e) {
      return undefined;
    }
  }

  function SijillGraphiQL() {
    var state = React.useState("");
    var authorization = state[0];
    var setAuthorization = state[1];
    var timer = React.useRef(null);
    var fetcher = React.useMemo(
      function () {
        return GraphiQL.createFetcher({ url: window.location.pathname });
      },
      [authorization]
    );
    function onEditHeaders(text) {
      var value = authorizationOf(text);
      if (value === undefined) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(function () {
        setAuthorization(value);
      }, REFETCH_AFTER_MS);
    }
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      defaultHeaders: "{}",
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
      onEditHeaders: onEditHeaders,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(SijillGraphiQL)
  );
})();
