/* Site search: the header search box over the Pagefind index of the articles.
 *
 * Pagefind (built by hooks/cchc/search.py) loads only the index chunks a query needs, folds
 * combining marks (tones, ă â ê ô ơ ư) and ranks exact-diacritic matches first.  What it does
 * not do for Vietnamese is added here (see notes/search.md):
 *   - "đ" is a letter of its own, not d + a mark, so "dong" would never find "đông": a query
 *     word typed without any diacritics that starts with "d" is also searched with "đ" (đ only
 *     ever starts a syllable).  Results of the spelling typed come first, then those found only
 *     by the đ spelling.
 *   - For a short common syllable ("chỉ số", "một cửa") Pagefind's per-word ranking puts pages
 *     that only have "chỉ", "Sở" or "của" first.  The first LIMITS.rerank results are ranked
 *     again on their text (one fragment each): the words as typed standing together, then all
 *     of them, then the rest, Pagefind's order kept within each.
 *   - A phrase in quotes ("…", “…”, „…“, «…») is searched as its words, then kept only where
 *     the text has them together (checked a round of fragments at a time).
 * The query is NFC-normalised first (macOS and some phone keyboards type NFD); old and new tone
 * placement ("hoà"/"hòa", "thuỷ"/"thủy") compare equal (the rules of cchc.text.unify_tone_placement).
 * Titles and excerpts are the article's own text with its diacritics: Pagefind's excerpt (only
 * <mark> kept from its HTML), or, where the words typed stand together, the text around them.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;       // results rendered at a time ("Xem thêm kết quả" shows more)
  var MAX_QUERIES = 16;     // at most this many variant combinations per query
  // What one query may fetch besides the index chunks (window.cchcSearch.limits; tests lower them):
  var LIMITS = {
    rerank: 30,             // results ranked again on their text: one fragment (~2 KB) each
    phraseBatch: 10,        // quoted phrase: fragments checked at a time ...
    phraseRound: 30         // ... this many before showing what was found ("Xem thêm": 30 more)
  };
  var EXCERPT_WORDS = 26;   // words in an excerpt (as Pagefind's, excerptLength) ...
  var EXCERPT_BEFORE = 8;   // ... of which before the words searched
  var DEBOUNCE_MS = 200;
  // While the last word is still 1–2 letters, wait longer: a short prefix ("c", "ch") matches
  // many words, so Pagefind would fetch many index chunks for a word the citizen is still typing.
  var DEBOUNCE_SHORT_MS = 800;
  var TONES = "\u0300\u0301\u0309\u0303\u0323"; // huyền, sắc, hỏi, ngã, nặng
  // Old style ("hoà", "thuỷ") → new style ("hòa", "thủy"): as cchc.text.unify_tone_placement.
  var OLD_STYLE = new RegExp("([oOuU])([aAeEyY])([" + TONES + "])(?![a-zA-Z\u0300-\u036f])", "g");
  // New style → old style, only for the pairs that have an old style: oa, oe, uy.
  var NEW_STYLE = new RegExp("([oO])([" + TONES + "])([aAeE])(?![a-zA-Z\u0300-\u036f])|([uU])([" + TONES + "])([yY])(?![a-zA-Z\u0300-\u036f])", "g");
  var QUOTES = /["\u201c\u201d\u201e\u00ab\u00bb]/;   // " “ ” „ « »
  var TOKEN = /[\p{L}\p{M}\p{N}]+/gu;                 // a word of a text, as compared

  // --- Vietnamese text rules (pure functions, exported for tests) -----------------------------
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

  /** As cchc.text.fold: lower case, no diacritics, đ → d ("Đẩy mạnh" → "day manh"). */
  function fold(text) {
    return String(text).replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLocaleLowerCase("vi");
  }

  /** As Pagefind matches words, and as cchc-shards.json lists them: lower case, combining marks
   *  (tones, ă â ê ô ơ ư) dropped, but đ kept (cchc.search.index_fold). */
  function indexFold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLocaleLowerCase("vi");
  }

  function normalizeQuery(raw) {
    return String(raw || "").normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();
  }

  function queryWords(query) {
    return query.split(" ").map(function (w) {
      return w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}\p{M}]+$/gu, "");
    }).filter(Boolean);
  }

  /** {words, phrases}: every word of the query, and the words of each phrase in quotes. */
  function parseQuery(query) {
    var parts = query.split(QUOTES);
    var phrases = [];
    for (var i = 1; i < parts.length - 1; i += 2) { // a quote left open is not a phrase (yet)
      var words = queryWords(parts[i].trim());
      if (words.length) phrases.push(words);
    }
    return { words: queryWords(parts.join(" ").replace(/\s+/g, " ").trim()), phrases: phrases };
  }

  function unique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  /** Spellings of one (normalised) query word to search, the typed one first: a word typed
   *  without diacritics that starts with "d" may be a word with "đ" ("dong" → "đông"). */
  function wordVariants(word) {
    if (word.charAt(0) === "d" && fold(word) === word) return unique([word, "đ" + word.slice(1)]);
    return [word];
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

  /** What a query's words are compared with: each word as tokens of a text are (a hyphenated
   *  word is two), in the new tone placement; `loose` where typed without diacritics. */
  function terms(words) {
    var tokens = newTonePlacement(words.join(" ")).match(TOKEN) || [];
    return tokens.map(function (t) { return { word: t, loose: fold(t) === t }; });
  }

  /** The words of a text (a fragment's content), position by position: exact (lower case,
   *  new tone placement), folded, and where each stands in the text. */
  function textWords(content) {
    var text = String(content || "").normalize("NFC");
    var spans = [];
    var exact = [];
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text))) {
      spans.push([match.index, match.index + match[0].length]);
      exact.push(newTonePlacement(match[0].toLocaleLowerCase("vi")));
    }
    return { text: text, spans: spans, exact: exact, folded: exact.map(fold) };
  }

  function same(text, i, term) {
    return (term.loose ? text.folded[i] : text.exact[i]) === term.word;
  }

  /** Where the text has the terms one after the other (a phrase): word position, or -1. */
  function findPhrase(text, phrase, from) {
    var n = phrase.length;
    for (var i = from || 0; n && i + n <= text.exact.length; i++) {
      var k = 0;
      while (k < n && same(text, i + k, phrase[k])) k++;
      if (k === n) return i;
    }
    return -1;
  }

  function hasPhrase(text, phrase) { return !phrase.length || findPhrase(text, phrase) >= 0; }

  /** The excerpt around a phrase: in the body if it is there, else in the title. */
  function phraseExcerpt(entry, phrase) {
    var at = findPhrase(entry.text, phrase, entry.body);
    if (at >= 0) return excerptAt(entry.text, at, phrase.length, entry.body);
    return excerptAt(entry.text, findPhrase(entry.text, phrase), phrase.length, 0);
  }

  /** An excerpt of the text around words [at, at + n) (not before word `from`), those marked:
   *  [[text, marked], …]. */
  function excerptAt(text, at, n, from) {
    var first = Math.max(from, at - EXCERPT_BEFORE);
    var last = Math.min(text.spans.length, first + Math.max(EXCERPT_WORDS, n)) - 1;
    var start = text.spans[at][0];
    var end = text.spans[at + n - 1][1];
    return [
      [(first > from ? "… " : "") + text.text.slice(text.spans[first][0], start), false],
      [text.text.slice(start, end), true],
      [text.text.slice(end, text.spans[last][1]) + (last < text.spans.length - 1 ? " …" : ""), false]
    ].filter(function (part) { return part[0]; });
  }

  function hasAll(text, words) {
    return words.every(function (term) {
      for (var i = 0; i < text.exact.length; i++) if (same(text, i, term)) return true;
      return false;
    });
  }

  /** 0: the query as typed stands in the text; 1: all its words do; 2: the rest. */
  function tier(text, query) {
    if (hasPhrase(text, query)) return 0;
    return hasAll(text, query) ? 1 : 2;
  }

  window.cchcSearch = {
    normalizeQuery: normalizeQuery,
    queryWords: queryWords,
    parseQuery: parseQuery,
    wordVariants: wordVariants,
    newTonePlacement: newTonePlacement,
    oldTonePlacement: oldTonePlacement,
    fold: fold,
    combinations: combinations,
    limits: LIMITS,
    tier: function (content, query) { return tier(textWords(content), terms(queryWords(normalizeQuery(query)))); },
    hasPhrase: function (content, phrase) { return hasPhrase(textWords(content), terms(queryWords(normalizeQuery(phrase)))); }
  };

  // --- Pagefind -----------------------------------------------------------------------------
  var box = document.querySelector("[data-cchc-search]");
  if (!box) return;
  var root = new URL(box.getAttribute("data-cchc-root") || "./", location.href);
  var pagefindPromise = null;
  var existsCache = {};

  var shards = null;  // the shard list of a large site (cchc-shards.json), see shardFilter()
  var merged = 1;     // shards searched so far: the primary (newest articles), then older ones
  var bundle = new URL("pagefind/", root);

  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 26 }).then(function () {
          return pf.init();
        }).then(function () {
          // Large sites are indexed in shards (hooks/cchc/search.py), each tagged with its number
          // so a search can be limited to some shards.  A search first covers the newest
          // `step` shards; older ones are merged in when asked for (mergeMore).
          return fetch(new URL("cchc-shards.json", bundle).href).then(function (response) {
            return response.ok ? response.json() : { merge: [] };
          }).then(function (list) {
            if (!list.merge.length) return null;
            shards = list;
            return pf.options({ mergeFilter: { cchc_shard: "0" } }).then(function () {
              return mergeMore(pf, (list.step || 1) - 1);
            });
          });
        }).then(function () { return pf; });
      });
      pagefindPromise.catch(function () { pagefindPromise = null; });
    }
    return pagefindPromise;
  }

  /** Merge up to `count` more shards, newest first (cchc-shards.json lists them oldest first). */
  function mergeMore(pf, count) {
    var loading = [];
    while (shards && loading.length < count && merged <= shards.merge.length) {
      var i = shards.merge.length - merged;
      loading.push(pf.mergeIndex(new URL(shards.merge[i], bundle).href,
        { baseUrl: root.pathname, excerptLength: 26, mergeFilter: { cchc_shard: String(i + 1) } }));
      merged++;
    }
    return Promise.all(loading);
  }

  function isMerged(shard) {
    return shard === 0 || shard - 1 >= shards.merge.length - (merged - 1);
  }

  /** Shards not merged yet that hold every word of the query (found anywhere): where "Xem thêm
   *  kết quả" can still find pages. */
  function shardsLeft(words) {
    if (!shards || merged > shards.merge.length) return 0;
    var allowed = allowedShards(words, true);
    var left = 0;
    for (var shard = 0; shard <= shards.merge.length; shard++) {
      if (!isMerged(shard) && (allowed === null || allowed.has(shard))) left++;
    }
    return left;
  }

  /** The shards (as a Set of numbers) where some word starts with `term` (folded, as Pagefind
   *  matches words), from the word list of cchc-shards.json; null for a site in one index. */
  function shardsOf(term) {
    if (!shards) return null;
    var key = indexFold(term);
    var words = shards.words;
    var lo = 0, hi = words.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (words[mid] < key) lo = mid + 1; else hi = mid; }
    var found = new Set();
    for (var i = lo; i < words.length && words[i].lastIndexOf(key, 0) === 0; i++) {
      var mask = shards.shards[i];
      for (var d = 0; d < mask.length; d++) {
        var bits = parseInt(mask.charAt(mask.length - 1 - d), 16);
        for (var b = 0; b < 4; b++) if (bits & (1 << b)) found.add(d * 4 + b);
      }
    }
    return found;
  }

  /** Pagefind ignores a query word its index does not have; with shards, a shard lacking "cách"
   *  would answer "cải cách" with its pages for "cải" alone (and match look-alike words).  As one
   *  index would: words found nowhere are ignored, and only shards holding every other word are
   *  searched.  Returns Pagefind search options (no filter for a site in one index), or null
   *  when no shard holds every word. */
  function shardFilter(query) {
    if (!shards) return {};
    var allowed = allowedShards(queryWords(query), false);
    if (allowed === null) return {};
    return allowed.size ? { filters: { cchc_shard: { any: Array.from(allowed).map(String) } } } : null;
  }

  function intersect(a, b) {
    return new Set(Array.from(a).filter(function (x) { return b.has(x); }));
  }

  /** The shards holding a spelling: every part of it ("06/2023/NĐ-CP" is four words). */
  function shardsHolding(spelling) {
    var inAll = null;
    (spelling.match(TOKEN) || []).forEach(function (part) {
      var found = shardsOf(part);
      inAll = inAll === null ? found : intersect(inAll, found);
    });
    return inAll || new Set();
  }

  /** The shards holding every word (as typed, or with `variants` in any of its spellings), the
   *  words found nowhere left out as Pagefind does; null when no word is found anywhere. */
  function allowedShards(words, variants) {
    var allowed = null;
    words.forEach(function (word) {
      var where = new Set();
      (variants ? wordVariants(word) : [word]).forEach(function (spelling) {
        shardsHolding(spelling).forEach(function (shard) { where.add(shard); });
      });
      if (!where.size) return;
      allowed = allowed === null ? where : intersect(allowed, where);
    });
    return allowed;
  }

  /** pf.search limited to the shards that can match (no page anywhere: no search at all). */
  function searchShards(pf, query) {
    var options = shardFilter(query);
    return options ? pf.search(query, options) : Promise.resolve({ results: [] });
  }

  function exists(pf, word) {
    if (!(word in existsCache)) {
      var where = shards && (word.match(TOKEN) || []).length === 1 ? shardsOf(word) : null;
      existsCache[word] = where ? Promise.resolve(where.size > 0)
        : pf.search(word).then(function (r) { return r.results.length > 0; });
    }
    return existsCache[word];
  }

  /** The Pagefind queries to run for the words typed: the typed spelling first. */
  function expand(pf, words) {
    if (!words.length) return Promise.resolve([]);
    return Promise.all(words.map(function (word) {
      var variants = wordVariants(word);
      if (variants.length === 1) return variants;
      // A spelling found nowhere is dropped, so "đich" does not turn "dich vu cong" into a looser "vu cong".
      return Promise.all(variants.map(function (v) { return exists(pf, v); })).then(function (found) {
        var kept = variants.filter(function (v, i) { return found[i]; });
        return kept.length ? kept : [word];
      });
    })).then(combinations);
  }

  /** One result per page, in order: the pages the typed spelling finds (Pagefind's order),
   *  then those only a đ spelling finds (by score). */
  function merge(searches) {
    var pages = new Map();
    var typed = [];
    var others = [];
    searches.forEach(function (s, index) {
      s.results.forEach(function (r) {
        var run = longestRun(r.words || []);
        var seen = pages.get(r.id);
        if (!seen) {
          seen = { result: r, run: run, score: r.score, data: null };
          pages.set(r.id, seen);
          (index === 0 ? typed : others).push(seen);
          return;
        }
        seen.score = Math.max(seen.score, r.score);
        // The excerpt comes from the spelling whose words stand together on the page
        // ("đường dây nóng" rather than a scattered "đẩy … đường … nóng").
        if (run > seen.run || (run === seen.run && r.score > seen.result.score)) {
          seen.result = r;
          seen.run = run;
        }
      });
    });
    others.sort(function (a, b) { return b.score - a.score; });
    return typed.concat(others);
  }

  /** Length of the longest run of consecutive word positions (words standing together). */
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

  function load(entry) {
    if (!entry.data) {
      entry.data = entry.result.data().then(function (data) {
        entry.text = textWords(data.content);
        // The text starts with the title, shown above the excerpt: excerpts prefer the body.
        var title = (data.meta && data.meta.title || "").normalize("NFC").match(TOKEN) || [];
        var text = entry.text;
        entry.body = title.length && title.every(function (word, i) {
          return text.spans[i] && text.text.slice(text.spans[i][0], text.spans[i][1]) === word;
        }) ? title.length : 0;
        return data;
      });
      entry.data.catch(function () { entry.data = null; });
    }
    return entry.data;
  }

  /** LIMITS.rerank pages ordered by tier (see tier()), merge()'s order kept within a tier, then the
   *  others.  They are the first pages where the query's words stand together (Pagefind's
   *  word positions tell, without a fragment), then the first of the others. */
  function rerank(entries, query) {
    var together = entries.filter(function (e) { return e.run >= query.length; });
    var head = together.concat(entries.filter(function (e) { return e.run < query.length; })).slice(0, LIMITS.rerank);
    return Promise.all(head.map(load)).then(function () {
      var ranked = head.map(function (entry) {
        var rank = tier(entry.text, query);
        if (rank === 0) entry.excerpt = phraseExcerpt(entry, query);
        return { entry: entry, tier: rank, i: entries.indexOf(entry) };
      });
      ranked.sort(function (a, b) { return a.tier - b.tier || a.i - b.i; });
      return ranked.map(function (r) { return r.entry; })
        .concat(entries.filter(function (e) { return head.indexOf(e) < 0; }));
    });
  }

  /** Search what the citizen typed: {shown, candidates, phrases}.  Without a phrase every page
   *  found is shown; with phrases, candidates are checked a batch at a time (check()). */
  function search(pf, query) {
    var parsed = parseQuery(query);
    return expand(pf, parsed.words).then(function (queries) {
      return Promise.all(queries.map(function (q) { return searchShards(pf, q); }));
    }).then(function (searches) {
      var entries = merge(searches);
      if (entries.length < PAGE_SIZE && shardsLeft(parsed.words)) {
        // Too little among the newest articles: look further back at once.
        return mergeMore(pf, shards.step || 1).then(function () { return search(pf, query); });
      }
      if (!parsed.phrases.length) {
        var query = terms(parsed.words);
        // One word typed without diacritics: every page found has it (folded), all in one tier.
        var ranked = query.length === 1 && query[0].loose ? Promise.resolve(entries) : rerank(entries, query);
        return ranked.then(function (shown) { return { shown: shown, candidates: [], phrases: [], words: parsed.words }; });
      }
      var phrases = parsed.phrases.map(terms);
      // A page has a phrase only where words of the query stand together: no fragment needed
      // for the others.
      var longest = Math.min(2, Math.max.apply(null, phrases.map(function (p) { return p.length; })));
      return {
        shown: [],
        candidates: entries.filter(function (e) { return e.run >= longest; }),
        phrases: phrases,
        words: parsed.words
      };
    });
  }

  /** Every result shown so far stays; merge older shards, search again, add what is new. */
  function searchFurther(query, state, shownCount) {
    return pagefind().then(function (pf) {
      return mergeMore(pf, shards.step || 1).then(function () { return search(pf, query); });
    }).then(function (next) {
      var kept = state.shown.slice(0, shownCount);
      var seen = new Set(kept.map(function (e) { return e.result.id; }));
      var fresh = function (e) { return !seen.has(e.result.id); };
      next.shown = kept.concat(next.shown.filter(fresh));
      next.candidates = next.candidates.filter(fresh);
      return next;
    });
  }

  /** Unless `wanted` pages are found already, check the next phraseRound phrase candidates. */
  function check(state, wanted) {
    var fetched = 0;
    if (state.shown.length >= wanted) return Promise.resolve(state);
    function step() {
      if (!state.candidates.length || fetched >= LIMITS.phraseRound) return Promise.resolve(state);
      var batch = state.candidates.splice(0, Math.min(LIMITS.phraseBatch, LIMITS.phraseRound - fetched));
      fetched += batch.length;
      return Promise.all(batch.map(load)).then(function () {
        batch.forEach(function (entry) {
          if (state.phrases.every(function (p) { return hasPhrase(entry.text, p); })) {
            entry.excerpt = phraseExcerpt(entry, state.phrases[0]);
            state.shown.push(entry);
          }
        });
        return step();
      });
    }
    return step();
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
  var current = { seq: 0, state: null, shown: 0, raw: "" };
  var timer = null;

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function quote(text) { // (a query in quotes already is shown as typed)
    return /^["\u201c\u201e\u00ab].*["\u201c\u201d\u00bb]$/.test(text) ? text : "\u201c" + text + "\u201d";
  }

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

  function markedNodes(parts) {
    var fragment = document.createDocumentFragment();
    parts.forEach(function (part) {
      var node = part[1] ? document.createElement("mark") : document.createTextNode(part[0]);
      if (part[1]) node.textContent = part[0];
      fragment.appendChild(node);
    });
    return fragment;
  }

  /** A result: title, date, and an excerpt — where the words typed stand together when they
   *  do (excerptAt), else Pagefind's. */
  function resultItem(data, entry) {
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
    excerpt.appendChild(entry && entry.excerpt ? markedNodes(entry.excerpt) : excerptNodes(data.excerpt));
    a.appendChild(excerpt);
    li.appendChild(a);
    return li;
  }

  function statusText(raw, state) {
    var n = state.shown.length;
    var q = quote(raw.trim());
    if (state.candidates.length) { // a phrase, and pages not checked yet
      return (n ? "Tìm thấy " + n + " bài viết có đúng cụm từ cho " + q + "; "
                : "Chưa thấy bài viết nào có đúng cụm từ cho " + q + "; ") + "chọn “Xem thêm kết quả” để tìm tiếp.";
    }
    if (shardsLeft(state.words)) {
      return (n ? "Tìm thấy " + n + " bài viết cho " + q + " trong các tin gần đây"
                : "Chưa thấy bài viết nào cho " + q + " trong các tin gần đây") + "; chọn “Xem thêm kết quả” để tìm trong tin cũ hơn.";
    }
    return n ? "Tìm thấy " + n + " bài viết cho " + q + "."
             : "Không tìm thấy kết quả cho " + q + ". Hãy thử từ khóa khác, có dấu hoặc không dấu.";
  }

  /** Show the next PAGE_SIZE results (for a phrase: check more pages first; when every result
   *  is shown, look in older articles). */
  function showMore(seq) {
    var state = current.state;
    if (current.shown >= state.shown.length && !state.candidates.length && shardsLeft(state.words)) {
      return searchFurther(current.query, state, current.shown).then(function (next) {
        if (seq !== current.seq) return null;
        current.state = next;
        return showMore(seq);
      });
    }
    var wanted = current.shown + PAGE_SIZE;
    var entries = [];
    return (state.phrases.length ? check(state, wanted) : Promise.resolve(state)).then(function () {
      entries = state.shown.slice(current.shown, wanted);
      return Promise.all(entries.map(load));
    }).then(function (datas) {
      if (seq !== current.seq) return null;
      var first = null;
      datas.forEach(function (data, i) {
        var item = resultItem(data, entries[i]);
        first = first || item;
        list.appendChild(item);
      });
      current.shown += datas.length;
      more.hidden = current.shown >= state.shown.length && !state.candidates.length && !shardsLeft(state.words);
      status.textContent = statusText(current.raw, state);
      return first;
    });
  }

  function run(raw) {
    var query = normalizeQuery(raw);
    var seq = ++current.seq;
    current.raw = String(raw || "");
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
    }).then(function (state) {
      if (seq !== current.seq) return;
      current.state = state;
      current.shown = 0;
      list.textContent = "";
      return showMore(seq).then(function () {
        if (seq !== current.seq) return;
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
