// chatvault viewer. Every piece of message text, every name and file name is untrusted: this
// script builds elements with createElement and sets text with textContent, never innerHTML
// with data, and only makes links of http, https and mailto URLs.
(function () {
  "use strict";

  var PAGE = 60;          // messages per request
  var KEEP = 600;         // messages kept in the page; further ones are dropped and reloaded on demand
  // gen counts the views opened: an answer for an earlier view is dropped when it arrives late.
  var state = { conv: null, convs: [], first: null, last: null, moreBefore: false, moreAfter: false, loading: false, count: 0, ranges: {}, gen: 0 };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function api(path, params) {
    var q = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) { if (params[k] !== undefined && params[k] !== null && params[k] !== "") q.set(k, params[k]); });
    return fetch("/api/" + path + (q.toString() ? "?" + q : ""), { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body && body.error ? body.error : "HTTP " + r.status);
        return body;
      });
    });
  }

  // ---- text ----

  var linkRe = /(https?:\/\/|mailto:)[^\s<>"\u00a0\u2000-\u206f\ufeff]+/gi;

  // appendText adds text to parent with links (http, https, mailto only) and, when ranges are
  // given (UTF-16 offsets from the server), <mark>ed hits. entities (details.entities: offsets in
  // code points) add the links a source hid behind other text (Telegram's text_link).
  function appendText(parent, text, ranges, entities) {
    text = String(text || "");
    var marks = (ranges || []).slice().sort(function (a, b) { return a[0] - b[0]; });
    var pieces = [], at = 0;
    hiddenLinks(text, entities).forEach(function (h) {
      linkPieces(text, at, h.s, pieces);
      pieces.push(h);
      at = h.e;
    });
    linkPieces(text, at, text.length, pieces);
    pieces.forEach(function (p) {
      var target = parent;
      if (p.href) {
        target = el("a");
        target.href = p.href;
        target.rel = "noopener noreferrer nofollow";
        target.target = "_blank";
        parent.appendChild(target);
      }
      appendMarked(target, text, p.s, p.e, marks);
    });
  }

  // linkPieces splits text[from, to) into plain pieces and the links written in it.
  function linkPieces(text, from, to, pieces) {
    var sub = text.slice(from, to), at = 0, m;
    linkRe.lastIndex = 0;
    while ((m = linkRe.exec(sub))) {
      var raw = m[0].replace(/[.,;:!?)\]}'"]+$/, "");
      var start = m.index, end = start + raw.length;
      var href = safeURL(raw);
      if (!href) continue;
      if (start > at) pieces.push({ s: from + at, e: from + start });
      pieces.push({ s: from + start, e: from + end, href: href });
      at = end;
      linkRe.lastIndex = end;
    }
    if (at < sub.length) pieces.push({ s: from + at, e: to });
  }

  // hiddenLinks are the text_link entities with a safe target, as UTF-16 ranges, in order and
  // not overlapping; anything out of range is ignored (entities are untrusted).
  function hiddenLinks(text, entities) {
    if (!entities || !entities.length) return [];
    var idx = [], i = 0;
    Array.from(text).forEach(function (ch) { idx.push(i); i += ch.length; });
    idx.push(i);
    var out = [];
    entities.forEach(function (e) {
      var s = Number(e.offset), n = Number(e.length);
      if (e.type !== "text_link" || !(s >= 0) || !(n > 0) || s + n >= idx.length) return;
      var href = safeURL(String(e.href || ""));
      if (href) out.push({ s: idx[s], e: idx[s + n], href: href });
    });
    out.sort(function (a, b) { return a.s - b.s; });
    var end = 0;
    return out.filter(function (h) { if (h.s < end) return false; end = h.e; return true; });
  }

  function appendMarked(parent, text, s, e, marks) {
    var at = s;
    marks.forEach(function (r) {
      var a = Math.max(r[0], at), b = Math.min(r[1], e);
      if (a >= b) return;
      if (a > at) parent.appendChild(document.createTextNode(text.slice(at, a)));
      parent.appendChild(el("mark", "", text.slice(a, b)));
      at = b;
    });
    if (at < e) parent.appendChild(document.createTextNode(text.slice(at, e)));
  }

  function safeURL(s) {
    try {
      var u = new URL(s);
      if (u.protocol === "http:" || u.protocol === "https:" || u.protocol === "mailto:") return u.href;
    } catch (e) { /* not a URL */ }
    return "";
  }

  function bdi(text, cls) { return el("bdi", cls, text); }

  // ---- time ----

  function dayKey(ts) { var d = new Date(ts); return d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate(); }
  function dayLabel(ts) { return new Date(ts).toLocaleDateString(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" }); }
  function timeLabel(ts) { return new Date(ts).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }); }
  function fullLabel(ts) { return new Date(ts).toLocaleString(); }
  function size(n) {
    if (!n) return "";
    if (n < 1024) return n + " B";
    if (n < 1048576) return Math.round(n / 1024) + " KB";
    return (n / 1048576).toFixed(1) + " MB";
  }

  // ---- messages ----

  var icons = { photo: "📷", video: "🎬", audio: "🎵", voice: "🎤", document: "📄", sticker: "🏷️", gif: "🎞️", contact: "👤" };

  function mediaURL(sha) { return "/media/" + encodeURIComponent(sha); }

  function renderAttachment(a) {
    var icon = icons[a.kind] || "📎";
    if (!a.sha256) {
      var miss = el("div", "missing", icon + " ");
      if (a.name) miss.appendChild(bdi(a.name));
      miss.appendChild(document.createTextNode(" (" + (a.missing || "not included") + ")"));
      return miss;
    }
    var url = mediaURL(a.sha256);
    if (a.shown === "image") {
      var img = el("img", "thumb");
      img.src = url;
      img.alt = a.name || a.kind;
      img.loading = "lazy";
      img.addEventListener("click", function () { openLightbox(url, a.name); });
      return img;
    }
    if (a.shown === "video") {
      var v = el("video");
      v.controls = true;
      v.preload = "metadata";
      v.src = url;
      return v;
    }
    if (a.shown === "audio") {
      var box = el("div", "audio", icon);
      var au = el("audio");
      au.controls = true;
      au.preload = "metadata";
      au.src = url;
      box.appendChild(au);
      return box;
    }
    var link = el("a", "doc", icon + " ");
    link.href = url;
    link.download = "";
    link.appendChild(bdi(a.name || a.sha256.slice(0, 12)));
    link.appendChild(el("span", "size", " " + size(a.size)));
    return link;
  }

  // renderLocation shows a place with what the source gave: its own link when safe, else a map
  // of its coordinates; coordinates only when known (absent ones are not 0,0).
  function renderLocation(l) {
    var loc = el("div", "loc", "📍 ");
    var known = typeof l.lat === "number" && typeof l.lon === "number";
    var href = l.url ? safeURL(String(l.url)) : null;
    if (!href && known) href = "https://www.openstreetmap.org/?mlat=" + l.lat + "&mlon=" + l.lon;
    var label = l.name || (known ? l.lat.toFixed(5) + ", " + l.lon.toFixed(5) : href || "Location");
    if (l.live) label = "Live location: " + label;
    if (!href) { loc.appendChild(bdi(label)); return loc; }
    var a = el("a");
    a.href = href;
    a.rel = "noopener noreferrer nofollow";
    a.target = "_blank";
    a.appendChild(bdi(label));
    loc.appendChild(a);
    return loc;
  }

  // webURL is safeURL for cards: web pages only (no mailto).
  function webURL(s) {
    var u = safeURL(s);
    return /^https?:/i.test(u) ? u : "";
  }

  // renderLink shows a shared page, article, mini program or Channels post as a card: its title,
  // description and source, linked when its address is a web page.
  function renderLink(l) {
    var href = l.url ? webURL(String(l.url)) : "";
    var card = el(href ? "a" : "div", "card");
    if (href) {
      card.href = href;
      card.rel = "noopener noreferrer nofollow";
      card.target = "_blank";
    }
    card.appendChild(bdi(l.title || (href ? href : "Link"), "ct"));
    if (l.description) card.appendChild(el("div", "cd", l.description));
    var src = l.source || (href ? new URL(href).host : "");
    if (src) card.appendChild(el("div", "cs", "🔗 " + src));
    return card;
  }

  // transferLabel words a transfer or red packet for who is looking (the archive's owner).
  function transferLabel(t, fromMe) {
    if (t.type === "red_packet") return fromMe ? "Red packet sent" : "Red packet";
    switch (t.state) {
      case "sent": return fromMe ? "Transfer sent" : "Transfer received";
      case "accepted": return fromMe ? "Transfer accepted by you" : "Transfer accepted";
      case "returned": return "Transfer returned";
      case "pending": return "Transfer pending";
    }
    return t.state ? "Transfer (" + t.state + ")" : "Transfer";
  }

  function renderTransfer(t, fromMe) {
    var box = el("div", "transfer " + (t.type === "red_packet" ? "red" : "pay"));
    box.appendChild(el("div", "ta", (t.type === "red_packet" ? "🧧 " : "💸 ") + (t.amount || "")));
    box.appendChild(el("div", "tl", transferLabel(t, fromMe)));
    if (t.memo) { var memo = el("div", "tm"); memo.dir = "auto"; memo.textContent = t.memo; box.appendChild(memo); }
    return box;
  }

  var MAX_FORWARD_DEPTH = 5; // as the server cuts them (export.MaxForwardDepth)

  // renderForwarded shows a merged forwarded history as a block that opens: its title, then each
  // message with sender, time and text; histories inside it open the same way.
  function renderForwarded(h, depth) {
    var box = el("details", "fwdh");
    var items = h.items || [];
    var sum = el("summary");
    sum.appendChild(bdi(h.title || "Chat history"));
    sum.appendChild(el("span", "size", " · " + items.length + (items.length === 1 ? " message" : " messages")));
    box.appendChild(sum);
    if (depth > MAX_FORWARD_DEPTH) {
      box.appendChild(el("div", "missing", "(nested too deep to show)"));
      return box;
    }
    items.forEach(function (it) {
      var item = el("div", "fi");
      var head = el("div", "fh");
      head.appendChild(bdi(it.sender || "", "fs"));
      if (it.time) head.appendChild(el("span", "size", " " + fullLabel(it.time)));
      item.appendChild(head);
      var d = it.details || {};
      if (it.text) {
        var t = el("div", "text");
        t.dir = "auto";
        appendText(t, it.text);
        item.appendChild(t);
      } else if (!d.link && !d.forwarded && !d.location && !d.transfer) {
        item.appendChild(el("div", "missing", (icons[it.kind] || "") + " " + (it.kind || "message")));
      }
      if (d.link) item.appendChild(renderLink(d.link));
      if (d.location) item.appendChild(renderLocation(d.location));
      if (d.transfer) item.appendChild(renderTransfer(d.transfer, false));
      if (d.forwarded) item.appendChild(renderForwarded(d.forwarded, depth + 1));
      box.appendChild(item);
    });
    return box;
  }

  // cardTitle: the text is only the title a card or history already shows (WeChat's app
  // messages keep their title as the text, for search).
  function cardTitle(m) {
    var d = m.details || {};
    return (d.link && d.link.title === m.text) || (d.forwarded && d.forwarded.title === m.text);
  }

  function renderDetails(m, bubble) {
    var d = m.details || {};
    if (d.quote && !m.reply) bubble.appendChild(renderQuote(d.quote.author, null, d.quote.text, null));
    if (d.link) bubble.appendChild(renderLink(d.link));
    if (d.transfer) bubble.appendChild(renderTransfer(d.transfer, m.from_me));
    if (d.forwarded) bubble.appendChild(renderForwarded(d.forwarded, 1));
    if (d.location) bubble.appendChild(renderLocation(d.location));
    if (d.poll) {
      var poll = el("div", "poll");
      poll.appendChild(el("div", "pq", "📊 " + (d.poll.question || "")));
      var ul = el("ul");
      (d.poll.options || []).forEach(function (o) { ul.appendChild(el("li", "", o.text + (o.votes ? " (" + o.votes + ")" : ""))); });
      poll.appendChild(ul);
      bubble.appendChild(poll);
    }
    if (d.contact) {
      var c = el("div", "contact", "👤 ");
      c.appendChild(bdi(d.contact.name || ""));
      (d.contact.phones || []).forEach(function (p) { c.appendChild(el("span", "size", " " + p)); });
      bubble.appendChild(c);
    }
    if (m.kind === "call") {
      var call = d.call || {};
      bubble.appendChild(el("div", "call", "📞 " + (call.missed ? "Missed " : "") + (call.video ? "video call" : "voice call") + (call.duration_ms ? " · " + Math.round(call.duration_ms / 1000) + " s" : "")));
    }
  }

  function renderQuote(sender, color, text, cursor) {
    var q = el("button", "quote");
    q.type = "button";
    var s = el("div", "qs" + (color !== null && color !== undefined ? " c" + color : ""));
    s.appendChild(bdi(sender || ""));
    q.appendChild(s);
    q.appendChild(el("div", "qt", text || ""));
    if (cursor) q.addEventListener("click", function () { go({ c: state.conv.id, around: cursor }); });
    return q;
  }

  function renderMessage(m, group, prev) {
    var ranges = state.ranges[m.cursor];
    if (m.kind === "system" || (!m.sender && !m.from_me)) {
      var sys = el("div", "sys");
      var span = el("span");
      span.dir = "auto";
      appendText(span, m.text || (m.details && m.details.event && m.details.event.type) || m.kind, ranges);
      sys.appendChild(span);
      sys.title = fullLabel(m.ts);
      return sys;
    }
    var row = el("div", "msg " + (m.from_me ? "out" : "in"));
    var bubble = el("div", "bubble");
    row.appendChild(bubble);
    var sameSender = prev && prev.sender && m.sender && prev.sender.name === m.sender.name && dayKey(prev.ts) === dayKey(m.ts) && prev.kind !== "system";
    if (group && !m.from_me && m.sender && !sameSender) {
      var s = el("div", "sender c" + m.sender.color);
      s.appendChild(bdi(m.sender.name));
      bubble.appendChild(s);
    }
    if (m.forwarded) bubble.appendChild(el("div", "fwd", "Forwarded"));
    if (m.reply) bubble.appendChild(renderQuote(m.reply.sender ? m.reply.sender.name : "", m.reply.sender ? m.reply.sender.color : null, m.reply.text, m.reply.cursor));
    (m.attachments || []).forEach(function (a) { bubble.appendChild(renderAttachment(a)); });
    renderDetails(m, bubble);
    if (m.kind === "deleted") bubble.appendChild(el("div", "deleted", "🚫 This message was deleted"));
    if (m.text && !cardTitle(m)) {
      var t = el("div", "text");
      t.dir = "auto";
      appendText(t, m.text, ranges, m.details && m.details.entities);
      bubble.appendChild(t);
    }
    var meta = el("div", "meta");
    if (m.edited) meta.appendChild(el("span", "edited", "edited "));
    var time = el("time", "", timeLabel(m.ts));
    time.dateTime = new Date(m.ts).toISOString();
    time.title = fullLabel(m.ts);
    meta.appendChild(time);
    bubble.appendChild(meta);
    if (m.reactions && m.reactions.length) {
      var rs = el("div", "reactions");
      m.reactions.forEach(function (r) {
        var n = r.count || r.who.length;
        var x = el("span", "reaction", r.emoji + (n > 1 ? " " + n : ""));
        x.title = r.who.join(", ");
        rs.appendChild(x);
      });
      bubble.appendChild(rs);
    }
    return row;
  }

  // row wraps a message and, when it starts a day, the day's separator.
  function row(m, prev) {
    var r = el("div", "row");
    r.dataset.cursor = m.cursor;
    r.dataset.ts = String(m.ts);
    r.dataset.day = dayKey(m.ts);
    if (!prev || dayKey(prev.ts) !== dayKey(m.ts)) {
      var d = el("div", "day");
      d.appendChild(el("span", "", dayLabel(m.ts)));
      r.appendChild(d);
    }
    var group = state.conv && (state.conv.kind === "group" || state.conv.kind === "channel" || state.meUnknown);
    r.appendChild(renderMessage(m, group, prev));
    r._msg = m;
    return r;
  }

  // ---- conversation view ----

  function setStatus() {
    $("topStatus").textContent = state.moreBefore ? "Scroll up for older messages" : (state.count ? "Beginning of the chat" : "");
    $("bottomStatus").textContent = state.moreAfter ? "Scroll down for newer messages" : "";
  }

  function renderPage(page, mode) {
    var box = $("messages"), scroller = $("scroller");
    var msgs = page.messages || [];
    state.meUnknown = !!page.me_unknown; // nobody is known to be the user: name every sender
    if (mode === "replace") {
      box.textContent = "";
      state.count = 0;
    }
    if (!msgs.length) { setStatus(); return; }
    if (mode === "before") {
      var oldHeight = scroller.scrollHeight, oldTop = scroller.scrollTop;
      var firstRow = box.firstElementChild;
      var frag = document.createDocumentFragment(), prev = null;
      msgs.forEach(function (m) { frag.appendChild(row(m, prev)); prev = m; });
      if (firstRow) { // re-render the old first row: its day separator may now be redundant
        var replaced = row(firstRow._msg, prev);
        replaced.className = firstRow.className; // keeps "hit" and "target"
        box.replaceChild(replaced, firstRow);
      }
      box.insertBefore(frag, box.firstChild);
      state.count += msgs.length;
      state.first = msgs[0].cursor;
      state.moreBefore = page.more_before;
      while (state.count > KEEP && box.lastElementChild) { box.removeChild(box.lastElementChild); state.count--; state.moreAfter = true; }
      state.last = box.lastElementChild ? box.lastElementChild.dataset.cursor : state.last;
      scroller.scrollTop = oldTop + (scroller.scrollHeight - oldHeight);
    } else {
      var last = box.lastElementChild ? box.lastElementChild._msg : null;
      var frag2 = document.createDocumentFragment();
      msgs.forEach(function (m) { frag2.appendChild(row(m, last)); last = m; });
      box.appendChild(frag2);
      state.count += msgs.length;
      if (mode === "replace") { state.first = msgs[0].cursor; state.moreBefore = page.more_before; }
      state.last = msgs[msgs.length - 1].cursor;
      state.moreAfter = page.more_after;
      var removed = 0;
      while (mode === "after" && state.count > KEEP && box.firstElementChild) {
        removed += box.firstElementChild.offsetHeight;
        box.removeChild(box.firstElementChild); state.count--; state.moreBefore = true;
      }
      if (removed) { scroller.scrollTop -= removed; state.first = box.firstElementChild.dataset.cursor; }
    }
    setStatus();
  }

  function load(params, mode) {
    if (state.loading) return Promise.resolve();
    state.loading = true;
    var gen = state.gen;
    params.c = state.conv.id;
    params.limit = PAGE;
    return api("messages", params).then(function (page) {
      if (gen === state.gen) renderPage(page, mode);
    }).catch(function (e) {
      if (gen === state.gen) $("topStatus").textContent = "Could not load messages: " + e.message;
    }).then(function () { if (gen === state.gen) state.loading = false; });
  }

  function onScroll() {
    var s = $("scroller");
    if (state.loading || !state.conv) return;
    if (s.scrollTop < 400 && state.moreBefore) load({ before: state.first }, "before").then(onScroll);
    else if (s.scrollHeight - s.scrollTop - s.clientHeight < 400 && state.moreAfter) load({ after: state.last }, "after").then(onScroll);
  }

  function openConversation(id, opts) {
    var conv = state.convs.filter(function (c) { return c.id === id; })[0];
    if (!conv) { showWelcome("No such chat."); return; }
    state.conv = conv;
    state.gen++;
    state.ranges = opts.ranges || {};
    Array.prototype.forEach.call($("convs").children, function (li) { li.classList.toggle("active", li.dataset.id === id); });
    $("welcome").hidden = true;
    $("results").hidden = true;
    $("convHeader").hidden = false;
    $("scroller").hidden = false;
    $("convTitle").textContent = conv.title;
    $("convSub").textContent = conv.messages.toLocaleString() + " messages";
    var params = {}, mode = "bottom";
    if (opts.around) { params.around = opts.around; mode = "around"; }
    else if (opts.at) { params.at = opts.at; params.tz = new Date().getTimezoneOffset(); mode = "top"; }
    state.loading = false;
    return load(params, "replace").then(function () {
      var s = $("scroller");
      if (mode === "bottom") s.scrollTop = s.scrollHeight;
      else if (mode === "top") {
        var target = $("messages").firstElementChild;
        if (target) { target.classList.add("target"); target.scrollIntoView({ block: "start" }); }
      } else {
        var hit = $("messages").querySelector('[data-cursor="' + CSS.escape(opts.around) + '"]');
        if (hit) { hit.classList.add("hit"); hit.scrollIntoView({ block: "center" }); }
      }
      onScroll();
      return refreshConvs(conv);
    });
  }

  // ---- search ----

  function search(q) {
    state.conv = null;
    state.gen++;
    $("welcome").hidden = true;
    $("convHeader").hidden = true;
    $("scroller").hidden = true;
    $("results").hidden = false;
    $("searchInput").value = q;
    $("resultsTitle").textContent = "Search";
    $("resultsStatus").textContent = "Searching…";
    var hits = $("hits");
    hits.textContent = "";
    return api("search", { q: q, limit: 100 }).then(function (list) {
      $("resultsStatus").textContent = list.length ? list.length + (list.length === 1 ? " message" : " messages") + ", newest first" : "Nothing found.";
      list.forEach(function (h) {
        var li = el("li", "hit");
        var where = el("div", "where");
        where.appendChild(bdi(h.conversation_title));
        where.appendChild(document.createTextNode(" · "));
        where.appendChild(bdi(h.message.sender ? h.message.sender.name : "system"));
        where.appendChild(document.createTextNode(" · " + fullLabel(h.message.ts)));
        li.appendChild(where);
        var snip = el("div", "snippet");
        appendText(snip, h.message.text || (h.message.attachments || []).map(function (a) { return a.name; }).join(" "), h.ranges);
        li.appendChild(snip);
        li.addEventListener("click", function () {
          var r = {};
          r[h.message.cursor] = h.ranges;
          pendingRanges = r;
          go({ c: h.conversation, around: h.message.cursor, q: q });
        });
        hits.appendChild(li);
      });
    }).catch(function (e) { $("resultsStatus").textContent = "Search failed: " + e.message; });
  }

  // ---- navigation (the address's #fragment holds the view, so back and forward work) ----

  var pendingRanges = null;

  function go(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) q.set(k, params[k]); });
    location.hash = q.toString();
  }

  function route() {
    var p = new URLSearchParams(location.hash.slice(1));
    var ranges = pendingRanges || {};
    pendingRanges = null;
    if (p.get("c")) return openConversation(p.get("c"), { around: p.get("around"), at: p.get("at"), ranges: ranges });
    if (p.get("q")) return search(p.get("q"));
    showWelcome();
  }

  function showWelcome(text) {
    state.conv = null;
    state.gen++;
    $("convHeader").hidden = true;
    $("scroller").hidden = true;
    $("results").hidden = true;
    $("welcome").hidden = false;
    if (text) $("welcome").firstElementChild.textContent = text;
  }

  // ---- lightbox ----

  function openLightbox(url, name) {
    var box = $("lbContent");
    box.textContent = "";
    var img = el("img");
    img.src = url;
    img.alt = name || "";
    box.appendChild(img);
    $("lightbox").hidden = false;
  }
  function closeLightbox() { $("lightbox").hidden = true; $("lbContent").textContent = ""; }

  // ---- start ----

  // dateLabel shows a day, or only the month when that is all the source knows (a snapshot's
  // chat until its last month has been read).
  function dateLabel(ms, monthOnly) {
    var d = new Date(ms);
    if (monthOnly) return d.toLocaleDateString(undefined, { timeZone: "UTC", year: "numeric", month: "short" });
    return d.toLocaleDateString();
  }

  // refreshConvs reloads the list once a chat shown by month only has been read.
  function refreshConvs(conv) {
    if (!conv.first_month_only && !conv.last_month_only) return;
    return api("conversations").then(function (list) {
      state.convs = list;
      if (state.conv && state.conv.id === conv.id) state.conv = list.filter(function (c) { return c.id === conv.id; })[0] || state.conv;
      renderConvs();
    });
  }

  function renderConvs() {
    var filter = $("filter").value.toLowerCase();
    var ul = $("convs");
    ul.textContent = "";
    state.convs.forEach(function (c) {
      if (filter && c.title.toLowerCase().indexOf(filter) < 0) return;
      var li = el("li");
      li.dataset.id = c.id;
      li.appendChild(bdi(c.title, "t"));
      li.appendChild(el("span", "muted", c.messages.toLocaleString() + " messages" + (c.last ? " · " + dateLabel(c.last, c.last_month_only) : "")));
      li.addEventListener("click", function () { go({ c: c.id }); });
      if (state.conv && state.conv.id === c.id) li.classList.add("active");
      ul.appendChild(li);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("scroller").addEventListener("scroll", onScroll, { passive: true });
    $("filter").addEventListener("input", renderConvs);
    $("searchForm").addEventListener("submit", function (e) {
      e.preventDefault();
      var q = $("searchInput").value.trim();
      if (q) go({ q: q });
    });
    $("jumpForm").addEventListener("submit", function (e) {
      e.preventDefault();
      if (state.conv && $("jumpDate").value) go({ c: state.conv.id, at: $("jumpDate").value });
    });
    $("latest").addEventListener("click", function () { if (state.conv) go({ c: state.conv.id, t: Date.now() }); });
    $("lbClose").addEventListener("click", closeLightbox);
    $("lightbox").addEventListener("click", function (e) { if (e.target === $("lightbox")) closeLightbox(); });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeLightbox(); });
    // data-view tells tests (and anyone curious) which view has finished rendering.
    window.addEventListener("hashchange", function () {
      delete document.body.dataset.view;
      Promise.resolve(route()).then(function () { document.body.dataset.view = location.hash.slice(1); });
    });
    api("info").then(function (i) { $("source").textContent = i.source; });
    api("conversations").then(function (list) {
      state.convs = list;
      renderConvs();
      return route();
    }).then(function () { document.body.dataset.ready = "1"; document.body.dataset.view = location.hash.slice(1); })
      .catch(function (e) { showWelcome("Could not load the chats: " + e.message); });
  });
})();
