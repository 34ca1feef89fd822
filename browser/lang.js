// The one language detector of the browser side.

/** The site's default language: pages at the site root are Vietnamese. */
export const DEFAULT_LANGUAGE = "vi";

/** The page's language, "vi" or "en", from <html lang>; the default when it says nothing else. */
export function pageLanguage() {
  const lang = (document.documentElement.lang || DEFAULT_LANGUAGE).slice(0, 2);
  return lang === "en" ? "en" : DEFAULT_LANGUAGE;
}
