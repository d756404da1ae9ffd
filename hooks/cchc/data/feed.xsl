<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shows an RSS 2.0 or Atom feed of the site as a readable Vietnamese page when it is opened in a
  browser that still runs XSLT (Chromium is removing it: the site's visible feed links go to the
  ordinary page nhan-tin/ instead; this stays as an extra). Feed readers ignore this stylesheet.
  Every value from the feed is output with xsl:value-of (escaped): titles and summaries are text,
  never markup. Atom titles, subtitle and summaries are type="html" holding HTML-escaped text:
  the template "text" undoes that escaping and outputs the result as text again.
  No external resources (fonts, scripts) are loaded.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>

  <xsl:template match="/">
    <xsl:variable name="is-rss" select="boolean(rss)"/>
    <xsl:variable name="kind">
      <xsl:choose>
        <xsl:when test="$is-rss">RSS</xsl:when>
        <xsl:otherwise>Atom</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="description" select="rss/channel/description | atom:feed/atom:subtitle"/>
    <xsl:variable name="site" select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <xsl:variable name="count" select="count(rss/channel/item | atom:feed/atom:entry)"/>
    <html lang="vi">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:call-template name="text"><xsl:with-param name="node" select="$title"/></xsl:call-template> – Nguồn tin <xsl:value-of select="$kind"/></title>
        <style>
          body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.55; color: #1f1f1f; background: #fafafa; }
          header.top { background: #8e1414; color: #fff; padding: 1rem; }
          header.top h1 { margin: 0; font-size: 1.35rem; }
          header.top p { margin: .3rem 0 0; }
          main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
          .about { background: #fff3e0; border-left: 4px solid #e65100; padding: .8rem 1rem; margin: 0 0 1.2rem; }
          .about h2 { margin: 0 0 .4rem; font-size: 1.05rem; }
          .about p { margin: .3rem 0; }
          .address { display: block; padding: .4rem .5rem; margin: .3rem 0; background: #fff; border: 1px solid #d7ccc8; font-family: ui-monospace, Consolas, monospace; font-size: .9rem; word-break: break-all; }
          a { color: #0d47a1; }
          a:focus-visible { outline: 3px solid #0d47a1; outline-offset: 2px; }
          ol.items { list-style: none; margin: 0; padding: 0; }
          ol.items li { background: #fff; border: 1px solid #e0e0e0; border-radius: 4px; padding: .7rem .9rem; margin: 0 0 .7rem; }
          ol.items h3 { margin: 0 0 .2rem; font-size: 1.05rem; }
          .meta { color: #555; font-size: .85rem; margin: 0 0 .3rem; }
          .summary { margin: 0; }
          footer { color: #555; font-size: .85rem; margin: 1.5rem 0 0; }
        </style>
      </head>
      <body>
        <header class="top">
          <h1><xsl:call-template name="text"><xsl:with-param name="node" select="$title"/></xsl:call-template></h1>
          <xsl:if test="string($description)"><p><xsl:call-template name="text"><xsl:with-param name="node" select="$description"/></xsl:call-template></p></xsl:if>
        </header>
        <main>
          <section class="about" aria-labelledby="nguon-tin-la-gi">
            <h2 id="nguon-tin-la-gi">Đây là nguồn tin <xsl:value-of select="$kind"/></h2>
            <p>Đây là nguồn tin <xsl:value-of select="$kind"/> (tin tự động) của trang, được trình duyệt hiển thị cho dễ đọc.
              Muốn nhận tin mới mà không phải vào trang thường xuyên, hãy sao chép địa chỉ dưới đây và dán vào
              ứng dụng đọc tin (ví dụ Feedly, Inoreader, Thunderbird hoặc ứng dụng đọc tin trên điện thoại):</p>
            <xsl:if test="string($self)"><code class="address"><xsl:value-of select="$self"/></code></xsl:if>
            <p>Chỉ muốn đọc tin? Bấm vào tiêu đề để mở bài viết<xsl:if test="string($site)">, hoặc
              <a href="{$site}">về trang tin</a></xsl:if>.</p>
          </section>
          <h2>
            <xsl:choose>
              <xsl:when test="$count = 0">Chưa có tin nào</xsl:when>
              <xsl:otherwise><xsl:value-of select="$count"/> tin mới nhất</xsl:otherwise>
            </xsl:choose>
          </h2>
          <xsl:if test="$count &gt; 0">
            <ol class="items">
              <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
            </ol>
          </xsl:if>
          <footer>
            <p>Nguồn tin <xsl:value-of select="$kind"/> này do trang tự tạo; nội dung giống các tin trên trang.</p>
          </footer>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- RSS 2.0 item -->
  <xsl:template match="item">
    <li>
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <p class="meta">
        <xsl:call-template name="rfc822-date"><xsl:with-param name="value" select="pubDate"/></xsl:call-template>
        <xsl:if test="dc:creator"> · <xsl:value-of select="dc:creator"/></xsl:if>
        <xsl:for-each select="category">
          <xsl:choose><xsl:when test="position() = 1"> · </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <xsl:if test="string(description)">
        <!-- The RSS description is the summary escaped as HTML: show it as the same text. -->
        <p class="summary">
          <xsl:call-template name="unescape-html"><xsl:with-param name="text" select="description"/></xsl:call-template>
        </p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- Atom entry -->
  <xsl:template match="atom:entry">
    <li>
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:call-template name="text"><xsl:with-param name="node" select="atom:title"/></xsl:call-template></a></h3>
      <p class="meta">
        <xsl:call-template name="iso-date"><xsl:with-param name="value" select="atom:published"/></xsl:call-template>
        <xsl:if test="atom:author/atom:name"> · <xsl:value-of select="atom:author/atom:name"/></xsl:if>
        <xsl:for-each select="atom:category">
          <xsl:choose><xsl:when test="position() = 1"> · </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose>
          <xsl:value-of select="@label"/>
        </xsl:for-each>
      </p>
      <xsl:if test="string(atom:summary)">
        <p class="summary"><xsl:call-template name="text"><xsl:with-param name="node" select="atom:summary"/></xsl:call-template></p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- "Mon, 17 Mar 2025 08:30:00 +0700" → "17/03/2025, 08:30" (time omitted at 00:00) -->
  <xsl:template name="rfc822-date">
    <xsl:param name="value"/>
    <xsl:variable name="v" select="normalize-space(substring-after($value, ','))"/>
    <xsl:variable name="day" select="substring-before($v, ' ')"/>
    <xsl:variable name="rest" select="substring-after($v, ' ')"/>
    <xsl:variable name="month" select="substring-before($rest, ' ')"/>
    <xsl:variable name="rest2" select="substring-after($rest, ' ')"/>
    <xsl:variable name="year" select="substring-before($rest2, ' ')"/>
    <xsl:variable name="time" select="substring(substring-after($rest2, ' '), 1, 5)"/>
    <xsl:variable name="month-number" select="string-length(substring-before($months, $month)) div 3 + 1"/>
    <time>
      <xsl:value-of select="format-number($day, '00')"/>/<xsl:value-of select="format-number($month-number, '00')"/>/<xsl:value-of select="$year"/>
      <xsl:if test="$time != '00:00'">, <xsl:value-of select="$time"/></xsl:if>
    </time>
  </xsl:template>

  <!-- "2025-03-17T08:30:00+07:00" → "17/03/2025, 08:30" (time omitted at 00:00) -->
  <xsl:template name="iso-date">
    <xsl:param name="value"/>
    <xsl:variable name="time" select="substring($value, 12, 5)"/>
    <time datetime="{$value}">
      <xsl:value-of select="substring($value, 9, 2)"/>/<xsl:value-of select="substring($value, 6, 2)"/>/<xsl:value-of select="substring($value, 1, 4)"/>
      <xsl:if test="$time != '00:00'">, <xsl:value-of select="$time"/></xsl:if>
    </time>
  </xsl:template>

  <!-- The text of a feed element: an Atom type="html" value holds escaped text (see above). -->
  <xsl:template name="text">
    <xsl:param name="node"/>
    <xsl:choose>
      <xsl:when test="$node/@type = 'html'">
        <xsl:call-template name="unescape-html"><xsl:with-param name="text" select="string($node)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$node"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Undo the HTML escaping of a plain-text summary (&lt; &gt; &amp;), output as text. -->
  <xsl:template name="unescape-html">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
