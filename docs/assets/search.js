/* Site search: the header search box over the Pagefind index of the articles.
 *
 * Pagefind (built by hooks/cchc/search.py) loads only the index chunks a query needs, folds
 * combining marks (tones, ă â ê ô ơ ư) and ranks exact-diacritic matches first.  Two things of
 * Vietnamese it does not do are added here, on the query side (see notes/search.md):
 *   - "đ" is a letter of its own, not d + a mark, so "dong" would never find "đông": every query
 *     word that starts with "d" is also searched with "đ" (đ only ever starts a syllable);
 *   - old and new tone placement ("hoà"/"hòa", "thuỷ"/"thủy") are searched both ways, so both
 *     spellings rank as exact matches (the rules mirror cchc.text.unify_tone_placement).
 * The query is NFC-normalised first (macOS and some phone keyboards type NFD).  Variants that
 * occur nowhere in the index are dropped, the remaining combinations are searched and the
 * results merged (best score per page).  Titles and excerpts are Pagefind's, i.e. the article's
 * own text with its diacritics; only <mark> is kept from the excerpt HTML.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;       // results rendered at a time ("Xem thêm kết quả" shows more)
  var MAX_QUERIES = 16;     // at most this many variant combinations per query
  var DEBOUNCE_MS = 200;
  // While the last word is still 1–2 letters, wait longer: a short prefix ("c", "ch") matches
  // many words, so Pagefind would fetch many index chunks for a word the citizen is still typing.
  var DEBOUNCE_SHORT_MS = 800;
  var TONES = "\u0300\u0301\u0309\u0303\u0323"; // huyền, sắc, hỏi, ngã, nặng
  // Old style ("hoà", "thuỷ") → new style ("hòa", "thủy"): as cchc.text.unify_tone_placement.
  var OLD_STYLE = new RegExp("([oOuU])([aAeEyY])([" + TONES + "])(?![a-zA-Z\u0300-\u036f])", "g");
  // New style → old style, only for the pairs that have an old style: oa, oe, uy.
  var NEW_STYLE = new RegExp("([oO])([" + TONES + "])([aAeE])(?![a-zA-Z\u0300-\u036f])|([uU])([" + TONES + "])([yY])(?![a-zA-Z\u0300-\u036f])", "g");

  // --- Vietnamese query variants (pure functions, exported for tests) ------------------------
  function moveTone(word, pattern) {
    var d = word.normalize("NFD");
    return d.replace(pattern, function (match) {
      var groups = Array.prototype.slice.call(arguments, 1, -2).filter(function (g) { return g !== undefined; });
      var offset = arguments[arguments.length - 2];
      // "quý": the u belongs to the consonant, the tone correctly stays on the y.
      if (/[uU]/.test(groups[0]) && offset > 0 && /[qQ]/.test(d.charAt(offset - 1))) return match;
      return groups[0] + groups[2] + groups[1]; // swap the tone and the second vowel
    }).normalize("NFC");
  }

  function newTonePlacement(text) { return moveTone(text, OLD_STYLE); }
  function oldTonePlacement(text) { return moveTone(text, NEW_STYLE); }

  function normalizeQuery(raw) {
    return String(raw || "").normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();
  }

  function queryWords(query) {
    return query.split(" ").map(function (w) {
      return w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}\p{M}]+$/gu, "");
    }).filter(Boolean);
  }

  function unique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  /** Spellings of one (normalised) query word to look for, the typed one first. */
  function wordVariants(word) {
    var forms = unique([word, newTonePlacement(word), oldTonePlacement(word)]);
    var out = [];
    forms.forEach(function (f) {
      out.push(f);
      if (f.charAt(0) === "d") out.push("đ" + f.slice(1));
    });
    return unique(out);
  }

  /** Every combination of the words' variants, typed spelling first, at most MAX_QUERIES. */
  function combinations(options) {
    var combos = [[]];
    options.forEach(function (variants) {
      var next = [];
      combos.forEach(function (combo) {
        variants.forEach(function (v) {
          if (next.length < MAX_QUERIES) next.push(combo.concat([v]));
        });
      });
      combos = next;
    });
    return combos.map(function (c) { return c.join(" "); });
  }

  window.cchcSearch = {
    normalizeQuery: normalizeQuery,
    queryWords: queryWords,
    wordVariants: wordVariants,
    newTonePlacement: newTonePlacement,
    oldTonePlacement: oldTonePlacement,
    combinations: combinations
  };

  // --- Pagefind -----------------------------------------------------------------------------
  var box = document.querySelector("[data-cchc-search]");
  if (!box) return;
  var root = new URL(box.getAttribute("data-cchc-root") || "./", location.href);
  var pagefindPromise = null;
  var existsCache = {};

  function pagefind() {
    if (!pagefindPromise) {
      var bundle = new URL("pagefind/", root);
      pagefindPromise = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 26 }).then(function () {
          return pf.init();
        }).then(function () {
          // Large sites are indexed in shards (hooks/cchc/search.py): merge the older ones in.
          return fetch(new URL("cchc-shards.json", bundle).href).then(function (response) {
            return response.ok ? response.json() : { merge: [] };
          }).then(function (shards) {
            return Promise.all(shards.merge.map(function (folder) {
              return pf.mergeIndex(new URL(folder, bundle).href, { baseUrl: root.pathname, excerptLength: 26 });
            }));
          });
        }).then(function () { return pf; });
      });
      pagefindPromise.catch(function () { pagefindPromise = null; });
    }
    return pagefindPromise;
  }

  function exists(pf, word) {
    if (!(word in existsCache)) {
      existsCache[word] = pf.search(word).then(function (r) { return r.results.length > 0; });
    }
    return existsCache[word];
  }

  /** The Pagefind queries to run for what the citizen typed. */
  function expand(pf, query) {
    if (/^".+"$/.test(query)) return Promise.resolve([query]); // exact phrase: as typed (NFC)
    var words = queryWords(query);
    if (!words.length) return Promise.resolve([]);
    return Promise.all(words.map(function (word) {
      var variants = wordVariants(word);
      if (variants.length === 1) return variants;
      return Promise.all(variants.map(function (v) { return exists(pf, v); })).then(function (found) {
        var kept = variants.filter(function (v, i) { return found[i]; });
        return kept.length ? kept : [word];
      });
    })).then(combinations);
  }

  function search(pf, query) {
    return expand(pf, query).then(function (queries) {
      return Promise.all(queries.map(function (q) { return pf.search(q); }));
    }).then(function (searches) {
      // A page found by several variants ranks by its best score; its excerpt comes from the
      // variant whose words stand together on the page ("đường dây nóng" rather than a
      // scattered "đẩy … đường … nóng"), then from the best-scored one.
      var pages = new Map();
      searches.forEach(function (s) {
        s.results.forEach(function (r) {
          var run = longestRun(r.words || []);
          var seen = pages.get(r.id);
          if (!seen) {
            pages.set(r.id, { result: r, run: run, score: r.score });
            return;
          }
          seen.score = Math.max(seen.score, r.score);
          if (run > seen.run || (run === seen.run && r.score > seen.result.score)) {
            seen.result = r;
            seen.run = run;
          }
        });
      });
      return Array.from(pages.values()).sort(function (a, b) { return b.score - a.score; })
        .map(function (page) { return page.result; });
    });
  }

  /** Length of the longest run of consecutive word positions (a phrase match). */
  function longestRun(positions) {
    var sorted = positions.slice().sort(function (a, b) { return a - b; });
    var best = sorted.length ? 1 : 0;
    var run = 1;
    for (var i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1] + 1) best = Math.max(best, ++run);
      else if (sorted[i] !== sorted[i - 1]) run = 1;
    }
    return best;
  }

  // --- The search box -----------------------------------------------------------------------
  var toggle = document.getElementById("__search");
  var form = box.querySelector("form");
  var input = box.querySelector(".md-search__input");
  var status = box.querySelector(".cchc-search__status");
  var list = box.querySelector(".cchc-search__results");
  var more = box.querySelector(".cchc-search__more");
  var opener = document.querySelector(".cchc-search-open");
  var initialStatus = status.textContent;
  var current = { seq: 0, results: [], shown: 0, query: "" };
  var timer = null;

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function quote(text) { return "\u201c" + text + "\u201d"; }

  function excerptNodes(html) {
    // Pagefind's excerpt is escaped text with <mark>; keep the text and the marks, nothing else.
    var template = document.createElement("template");
    template.innerHTML = html || "";
    var fragment = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  function resultItem(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item cchc-search__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var title = document.createElement("span");
    title.className = "cchc-search__title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    a.appendChild(title);
    if (data.meta && data.meta.date) {
      var date = document.createElement("span");
      date.className = "cchc-search__date";
      date.textContent = data.meta.date;
      a.appendChild(date);
    }
    var excerpt = document.createElement("span");
    excerpt.className = "cchc-search__excerpt";
    excerpt.appendChild(excerptNodes(data.excerpt));
    a.appendChild(excerpt);
    li.appendChild(a);
    return li;
  }

  function showMore(seq) {
    var slice = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (datas) {
      if (seq !== current.seq) return null;
      var first = null;
      datas.forEach(function (data) {
        var item = resultItem(data);
        first = first || item;
        list.appendChild(item);
      });
      current.shown += slice.length;
      more.hidden = current.shown >= current.results.length;
      return first;
    });
  }

  function run(raw) {
    var query = normalizeQuery(raw);
    var seq = ++current.seq;
    current.query = query;
    if (!query) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = initialStatus;
      box.removeAttribute("data-cchc-state");
      return Promise.resolve();
    }
    status.textContent = "Đang tìm…";
    box.setAttribute("data-cchc-state", "searching");
    return pagefind().then(function (pf) {
      return search(pf, query);
    }).then(function (results) {
      if (seq !== current.seq) return;
      current.results = results;
      current.shown = 0;
      list.textContent = "";
      return showMore(seq).then(function () {
        if (seq !== current.seq) return;
        status.textContent = results.length
          ? "Tìm thấy " + results.length + " bài viết cho " + quote(raw.trim()) + "."
          : "Không tìm thấy kết quả cho " + quote(raw.trim()) + ". Hãy thử từ khóa khác, có dấu hoặc không dấu.";
        box.setAttribute("data-cchc-state", "done");
      });
    }).catch(function (error) {
      if (seq !== current.seq) return;
      if (window.console) console.error(error);
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Chưa tải được dữ liệu tìm kiếm. Hãy thử lại sau.";
      box.setAttribute("data-cchc-state", "error");
    });
  }

  function schedule() {
    clearTimeout(timer);
    var words = queryWords(normalizeQuery(input.value));
    var last = words.length ? words[words.length - 1] : "";
    var typingShort = last.length < 3 && !/\s$/.test(input.value);
    timer = setTimeout(function () { run(input.value); }, typingShort ? DEBOUNCE_SHORT_MS : DEBOUNCE_MS);
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  function close() {
    setOpen(false);
    input.blur();
    if (opener && opener.offsetParent !== null) opener.focus();
  }

  input.addEventListener("focus", function () {
    setOpen(true);
    pagefind().catch(function () {}); // start loading while the citizen types
  });
  // Keyboard users who Tab past the search box leave it: close it (it covers the page on
  // phones, and Material's own keys are off while it is open).  Focus going nowhere (another
  // window) keeps it open.
  box.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (next && !box.contains(next) && next !== opener) setOpen(false);
  });
  input.addEventListener("input", function () {
    setOpen(true); // typing again after the box was closed with the input still focused
    schedule();
  });
  input.addEventListener("click", function () { setOpen(true); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = links()[0];
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value).then(function () {
      var first = links()[0];
      if (first) location.href = first.href;
    });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(""); input.focus(); }, 0);
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var index = all.indexOf(document.activeElement);
    if (index < 0) return;
    if (event.key === "ArrowDown" && index < all.length - 1) {
      event.preventDefault();
      all[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (index > 0 ? all[index - 1] : input).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  more.addEventListener("click", function () {
    showMore(current.seq).then(function (first) {
      if (first) first.querySelector("a").focus();
    });
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus();
      else if (!toggle.checked && document.activeElement === input) input.blur();
    });
  }
  if (opener) {
    opener.addEventListener("click", function () {
      setOpen(true);
      input.focus();
    });
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setOpen(true);
      input.focus();
    } else if (event.key === "Escape" && toggle && toggle.checked && !typing) {
      close();
    }
  });

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    setOpen(true);
    input.focus();
    run(initial);
  }
})();
