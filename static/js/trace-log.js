// The trace page remembers the provenance log's latest checkpoint this browser saw (localStorage) and, on the
// next visit, asks the site to prove that today's log extends it (an RFC 9162 consistency proof, checked here
// with the browser's own SHA-256). A log that shrank, forked or cannot prove it shows the warning in the
// verified box. Nothing happens without JavaScript, localStorage or SubtleCrypto: the page is complete without it.
(function () {
    "use strict";
    var box = document.querySelector("[data-log-size]");
    if (!box || !box.dataset.logSize || !window.localStorage || !window.crypto || !window.crypto.subtle) {
        return;
    }
    var KEY = "farmcast:provenance-log";
    var size = parseInt(box.dataset.logSize, 10);
    var root = box.dataset.logRoot;
    var warning = box.querySelector("[data-log-warning]");

    function bytes(b64) {
        return Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    }
    function same(a, b) {
        return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
    }
    function node(left, right) {
        var data = new Uint8Array(65);
        data[0] = 1;
        data.set(left, 1);
        data.set(right, 33);
        return crypto.subtle.digest("SHA-256", data).then(function (d) { return new Uint8Array(d); });
    }
    // RFC 9162 section 2.1.4.2, step by step.
    async function consistent(oldSize, oldRoot, newSize, newRoot, proof) {
        if (!proof.length) { return false; }
        var path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot].concat(proof) : proof.slice();
        var fn = oldSize - 1, sn = newSize - 1;
        while (fn & 1) { fn >>= 1; sn >>= 1; }
        var fr = path[0], sr = path[0];
        for (var i = 1; i < path.length; i++) {
            if (sn === 0) { return false; }
            if ((fn & 1) || fn === sn) {
                fr = await node(path[i], fr);
                sr = await node(path[i], sr);
                while (!(fn & 1) && fn !== 0) { fn >>= 1; sn >>= 1; }
            } else {
                sr = await node(sr, path[i]);
            }
            fn >>= 1; sn >>= 1;
        }
        return sn === 0 && same(fr, oldRoot) && same(sr, newRoot);
    }
    function remember() {
        localStorage.setItem(KEY, JSON.stringify({ size: size, root: root }));
        box.dataset.logState = "remembered";
    }
    function warn() {
        if (warning) { warning.hidden = false; }
        box.dataset.logState = "inconsistent";
    }

    var seen = null;
    try { seen = JSON.parse(localStorage.getItem(KEY)); } catch (error) { seen = null; }
    if (!seen || typeof seen.size !== "number" || typeof seen.root !== "string") { return remember(); }
    if (seen.size > size) { return warn(); }
    if (seen.size === size) { return seen.root === root ? remember() : warn(); }
    var url = box.dataset.logConsistency.replace("0/0/", seen.size + "/" + size + "/");
    fetch(url, { credentials: "omit" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
            return consistent(seen.size, bytes(seen.root), size, bytes(root), data.proof.map(bytes));
        })
        .then(function (ok) { return ok ? remember() : warn(); })
        .catch(function (error) {
            // A site that cannot prove its log extends the one seen before is treated like one that forked.
            console.warn("provenance log: no consistency proof", error);
            warn();
        });
}());
