// chatvault export, conversation pages: highlight the words a search found (?q=... in the
// address) and page with the arrow keys. It builds nodes with DOM calls only; it never parses
// HTML, so message text can never become markup.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function terms(q) {
    return q.split(/\s+/).map(function (t) { return fold(t.replace(/^"|"$/g, "")); }).filter(function (t) { return t.length > 0; });
  }
  // mark wraps every occurrence of the terms inside el's text nodes in <mark>.
  function mark(el, ts) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue, folded = fold(text);
      if (folded.length !== text.length) folded = text.toLowerCase();
      var ranges = [];
      ts.forEach(function (t) {
        for (var i = folded.indexOf(t); i >= 0; i = folded.indexOf(t, i + t.length)) ranges.push([i, i + t.length]);
      });
      if (!ranges.length) return;
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var frag = document.createDocumentFragment(), at = 0;
      ranges.forEach(function (r) {
        if (r[0] < at) return;
        frag.appendChild(document.createTextNode(text.slice(at, r[0])));
        var m = document.createElement("mark");
        m.textContent = text.slice(r[0], r[1]);
        frag.appendChild(m);
        at = r[1];
      });
      frag.appendChild(document.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(frag, node);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      var ts = terms(q);
      var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
      var scope = target ? [target] : Array.prototype.slice.call(document.querySelectorAll(".text, .sys span, .doc bdi"));
      scope.forEach(function (el) { mark(el, ts); });
      if (target) target.scrollIntoView({ block: "center" });
    }
    document.addEventListener("keydown", function (e) {
      if (e.target.closest && e.target.closest("input, textarea, select, audio, video")) return;
      var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : "";
      var link = rel && document.querySelector('a[rel="' + rel + '"]');
      if (link) location.href = link.href;
    });
  });
})();
