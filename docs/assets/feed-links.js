/* Feed links and Material's language selector (loaded just before Material's bundle).
 *
 * Material 9.8.2 treats every <link rel="alternate"> of a page as another language version of
 * the site: when the page loads it fetches "sitemap.xml" beside each such link's address.  Our
 * alternate links are the RSS/Atom feeds (the site's, and a category's or unit's own), so every
 * page downloaded the site's whole sitemap.xml twice (beside rss.xml and atom.xml), and category
 * and unit pages asked for chuyen-muc/<id>/sitemap.xml, which does not exist (two 404s and
 * console errors per page).  The site has no other language.
 *
 * Material looks for those links once, when the document has loaded (DOMContentLoaded).  This
 * script takes the feed links out of its sight just before, and puts them back right after that
 * event, so feed readers and browser extensions still find them (and the HTML keeps them for
 * readers that do not run scripts).  tests/test_portal.py checks that no page requests a
 * sitemap and that the links are back once the page has loaded.
 */
(function () {
  "use strict";
  var FEEDS = 'link[rel="alternate"][type="application/rss+xml"], link[rel="alternate"][type="application/atom+xml"]';
  var links = Array.prototype.slice.call(document.querySelectorAll(FEEDS));
  if (!links.length) return;
  links.forEach(function (link) { link.setAttribute("rel", "cchc-feed"); });
  document.addEventListener("DOMContentLoaded", function () {
    // Material's own listener runs during this same event; put the links back after it.
    setTimeout(function () {
      links.forEach(function (link) { link.setAttribute("rel", "alternate"); });
    }, 0);
  }, { once: true });
})();
