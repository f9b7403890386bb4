/* What shoppers do with search results, in the spirit of OpenSearch's User Behavior Insights: the
 * results page reports the search once (query, number of results, which path answered) and then
 * each result opened (its position and type), by sendBeacon so leaving the page loses nothing.
 * Anonymous: no cookie, no identifier of the person; the server keeps capped counters
 * (search/analytics.py). Without this script search works the same and nothing is recorded.
 * Reads data-search-* on .search-results and data-result-* on result links (templates/search/search.html). */
(function () {
  "use strict";
  var section = document.querySelector(".search-results[data-search-event-url]");
  if (!section || !window.fetch || !window.FormData) return;
  var data = section.dataset;
  var query = data.searchQuery || "";
  var storeKey = "farmcast-search-event";
  var eventId = null;

  function remembered() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storeKey) || "null");
      return saved && saved.q === query ? saved.id : null;
    } catch (error) {
      return null;
    }
  }

  function remember(id) {
    try {
      window.sessionStorage.setItem(storeKey, JSON.stringify({ q: query, id: id }));
    } catch (error) {
      /* private browsing without storage: clicks on later pages go unreported */
    }
  }

  if (!query) return;
  if (data.searchFirstPosition === "1") {
    var body = new FormData();
    body.append("q", query);
    body.append("results", data.searchResults || "0");
    body.append("answered_by", data.searchAnsweredBy || "");
    fetch(data.searchEventUrl, { method: "POST", body: body, credentials: "omit", keepalive: true })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.id) {
          eventId = answer.id;
          remember(eventId);
        }
      })
      .catch(function () {});
  } else {
    eventId = remembered();  /* a later page of the same search */
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-result-page]") : null;
    if (!link || !eventId) return;
    var body = new FormData();
    body.append("id", eventId);
    body.append("page", link.dataset.resultPage);
    body.append("position", link.dataset.resultPosition);
    body.append("type", link.dataset.resultType || "");
    if (navigator.sendBeacon) {
      navigator.sendBeacon(data.searchClickUrl, body);
    } else {
      fetch(data.searchClickUrl, { method: "POST", body: body, credentials: "omit", keepalive: true }).catch(function () {});
    }
  });
})();
