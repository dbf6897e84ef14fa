// chatvault export, search page. Works from the folder with no server: the conversation list and
// each conversation's search data are scripts (file:// pages cannot fetch files), loaded one
// piece at a time and dropped after scanning, so even a history of millions of messages never
// has to fit in the page at once. Results are built with DOM calls; message text is only ever
// set as text.
(function () {
  "use strict";
  var LIMIT = 500;
  var conversations = [];
  var pending = null; // the callback of the piece being loaded
  window.cvConversations = function (list) { conversations = list; };
  window.cvSearchChunk = function (conv, piece, entries) { if (pending) pending(conv, piece, entries); };

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function terms(q) {
    var out = [], re = /"([^"]*)"|(\S+)/g, m;
    while ((m = re.exec(q))) {
      var t = fold(m[1] !== undefined ? m[1] : m[2]).trim();
      if (t) out.push(t);
    }
    return out;
  }
  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // snippet shows the text around the first hit with every hit marked.
  function snippet(text, ts) {
    var folded = fold(text);
    if (folded.length !== text.length) folded = text.toLowerCase();
    var ranges = [];
    ts.forEach(function (t) {
      for (var i = folded.indexOf(t); i >= 0; i = folded.indexOf(t, i + t.length)) ranges.push([i, i + t.length]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var start = ranges.length ? Math.max(0, ranges[0][0] - 80) : 0;
    var end = Math.min(text.length, start + 300);
    var p = el("div", "snippet"), at = start;
    if (start > 0) p.appendChild(document.createTextNode("…"));
    ranges.forEach(function (r) {
      if (r[0] < at || r[1] > end) return;
      p.appendChild(document.createTextNode(text.slice(at, r[0])));
      p.appendChild(el("mark", "", text.slice(r[0], r[1])));
      at = r[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? "…" : "")));
    return p;
  }
  function matches(text, ts) {
    var f = fold(text);
    for (var i = 0; i < ts.length; i++) if (f.indexOf(ts[i]) < 0) return false;
    return true;
  }

  var run = 0;
  async function search(q, only) {
    var mine = ++run;
    var results = document.getElementById("results"), status = document.getElementById("status");
    results.textContent = "";
    var ts = terms(q);
    if (!ts.length) { status.textContent = ""; return; }
    var found = 0;
    var convs = conversations.filter(function (c) { return !only || String(c.id) === only; });
    for (var ci = 0; ci < convs.length && found < LIMIT; ci++) {
      var c = convs[ci];
      for (var piece = c.pieces; piece >= 1 && found < LIMIT; piece--) {
        if (mine !== run) return;
        status.textContent = "Searching " + c.title + "…";
        var hits = [];
        pending = function (conv, p, entries) {
          for (var i = entries.length - 1; i >= 0; i--) {
            if (matches(entries[i][4], ts)) hits.push(entries[i]);
          }
        };
        try { await load(c.dir + "/s" + piece + ".js"); } catch (e) { status.textContent = e.message; }
        pending = null;
        if (mine !== run) return;
        hits.forEach(function (h) {
          if (found >= LIMIT) return;
          found++;
          var li = el("li", "hit");
          var a = el("a");
          a.href = c.dir + "/p" + h[1] + ".html?q=" + encodeURIComponent(q) + "#m" + h[0];
          var where = el("div", "where");
          var title = el("bdi", "", c.title);
          where.appendChild(title);
          where.appendChild(document.createTextNode(" · "));
          where.appendChild(el("bdi", "", h[2] || "system"));
          where.appendChild(document.createTextNode(" · " + new Date(h[3]).toLocaleString()));
          a.appendChild(where);
          a.appendChild(snippet(h[4], ts));
          li.appendChild(a);
          results.appendChild(li);
        });
      }
    }
    status.textContent = found === 0 ? "Nothing found." : found >= LIMIT ? "The first " + LIMIT + " results, newest first." : found + (found === 1 ? " result." : " results.");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search"), qIn = document.getElementById("q"), cSel = document.getElementById("c");
    load("assets/search-data.js").then(function () {
      conversations.forEach(function (c) {
        var o = el("option", "", c.title);
        o.value = String(c.id);
        cSel.appendChild(o);
      });
      var params = new URLSearchParams(location.search);
      qIn.value = params.get("q") || "";
      cSel.value = params.get("c") || "";
      if (qIn.value) search(qIn.value, cSel.value);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var params = new URLSearchParams();
      params.set("q", qIn.value);
      if (cSel.value) params.set("c", cSel.value);
      try { history.replaceState(null, "", "?" + params.toString()); } catch (err) { /* file:// pages may refuse */ }
      search(qIn.value, cSel.value);
    });
  });
})();
