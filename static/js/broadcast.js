/* Broadcast pages, as progressive enhancement over links that already work without it.
 * Replay: chapter and transcript links (?t=N#t=N) seek the <video> in place instead of reloading,
 * and a shared link's #t= or ?t= starts the video there. Upcoming: the start time in the reader's
 * own time zone and a countdown; when the start passes, the page reloads into its live state (its
 * cache headers expire then too). Words come from the browser's Intl API in the page's language,
 * so the script needs no translation catalogue. No dependencies. */
(function () {
  "use strict";

  // Whole seconds only: "t=abc", "t=-5" or "t=20x" name no moment, and the video starts at 0.
  function secondsFrom(value) {
    var match = /(?:^|[?#&])t=(\d+)(?=&|#|$)/.exec(value || "");
    return match ? parseInt(match[1], 10) : null;
  }

  var video = document.getElementById("replay-video");
  if (video) {
    var seek = function (seconds, play) {
      var apply = function () {
        // A moment past the end would jump to the last frame and stop: start at 0 instead, as the server does.
        if (isFinite(video.duration) && seconds >= video.duration) return;
        video.currentTime = seconds;
        if (play) {
          var started = video.play();
          // Autoplay rules may refuse; the reader can press play, the position is already set.
          if (started && started.catch) started.catch(function () {});
        }
      };
      if (video.readyState >= 1) apply();
      else video.addEventListener("loadedmetadata", apply, { once: true });
    };

    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-seek]") : null;
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var seconds = parseInt(link.getAttribute("data-seek"), 10);
      if (isNaN(seconds)) return;
      event.preventDefault();
      seek(seconds, true);
      // Keep the address shareable: it now names this moment.
      if (window.history && history.replaceState) history.replaceState(null, "", "?t=" + seconds + "#t=" + seconds);
      video.scrollIntoView({ block: "nearest" });
    });

    var shared = secondsFrom(location.hash);
    if (shared === null) shared = secondsFrom(location.search);
    if (shared !== null) seek(shared, false);

    window.addEventListener("hashchange", function () {
      var seconds = secondsFrom(location.hash);
      if (seconds !== null) seek(seconds, true);
    });

    // Mark the chapter being watched, for sighted readers and screen readers alike.
    var chapterLinks = Array.prototype.slice.call(document.querySelectorAll(".chapter-link[data-seek]"));
    video.addEventListener("timeupdate", function () {
      var current = null;
      chapterLinks.forEach(function (link) {
        if (parseInt(link.getAttribute("data-seek"), 10) <= video.currentTime) current = link;
      });
      chapterLinks.forEach(function (link) {
        if (link === current) link.setAttribute("aria-current", "time");
        else link.removeAttribute("aria-current");
      });
    });
  }

  var start = document.querySelector("time[data-countdown]");
  var local = document.querySelector("[data-local-time]");
  if (start && local && window.Intl && Intl.DateTimeFormat) {
    var when = new Date(start.getAttribute("data-countdown"));
    if (isNaN(when.getTime())) return;
    var lang = document.documentElement.lang || undefined;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var spans = local.querySelectorAll("span");
    // dateStyle/timeStyle cannot be combined with timeZoneName, so the parts are named one by one.
    spans[0].textContent = new Intl.DateTimeFormat(lang, {
      year: "numeric",
      month: "short",
      day: "numeric",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(when);
    var countdown = local.querySelector("[data-countdown-text]");
    var relative = Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
    var tick = function () {
      var seconds = Math.round((when.getTime() - Date.now()) / 1000);
      if (seconds <= 0) {
        location.reload();
        return;
      }
      if (relative) {
        var units = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
        for (var i = 0; i < units.length; i++) {
          if (seconds >= units[i][1] || units[i][0] === "second") {
            countdown.textContent = relative.format(Math.floor(seconds / units[i][1]), units[i][0]);
            break;
          }
        }
      }
      setTimeout(tick, seconds > 3600 ? 60000 : 1000);
    };
    // Beijing readers already see their own time; show the line only when it tells them something new.
    if (zone !== "Asia/Shanghai" || relative) local.hidden = false;
    tick();
  }
})();
