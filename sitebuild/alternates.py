"""Where a page says which page is its twin in the other language: the sitemap, not <head>.

Material's `base.html` writes a `<link rel="alternate" hreflang>` per language into every
page, and the i18n plugin points them at the page's twin. Material's bundle then fetches
`sitemap.xml` relative to each of those links, as if they were language roots: one failing
request per language on every page (`<page>/sitemap.xml`, 404), and relative `hreflang`
links that search engines and Lighthouse reject. Made absolute, they would send that fetch
to the production host from every other origin (a local server, a mirror), which the
Content-Security-Policy blocks.

So the annotations live only where they are absolute and fetch nothing: `sitemap.xml`,
whose `<xhtml:link rel="alternate" hreflang>` entries the i18n plugin writes with full URLs,
one of the three equivalent places for them
(https://developers.google.com/search/docs/specialty/international/localized-versions).
Readers switch language through the header's `<a hreflang>` links (browser/page-scripts/site.js).
"""

import re

HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def without_head_alternates(html: str) -> str:
    """The page without its <head> hreflang links (the sitemap carries them, absolute)."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    return HEAD_ALTERNATE.sub("", html[:head_end]) + html[head_end:]
