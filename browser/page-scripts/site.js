// Keep the reader's section when switching language: every heading has the same
// explicit id in both languages, so the #fragment is valid on the twin page too.
// We navigate ourselves (and stop the event) because Material's own handler guesses the
// twin page from sitemaps and drops the fragment when it cannot find one.
document.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    location.href = link.href.split("#")[0] + location.hash;
  },
  true,
);

// browser/lang.js's rule (English only when <html lang> says so, else the site's default
// Vietnamese), inlined: this classic script is copied as it is and cannot import.
const englishPage = () => (document.documentElement.lang || "vi").slice(0, 2) === "en";

// Wide tables scroll sideways inside Material's wrapper; a keyboard user must be able to
// focus that wrapper to scroll it (axe: scrollable-region-focusable).
function focusableScrollers() {
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    const scrolls = wrap.scrollWidth > wrap.clientWidth;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      const caption = wrap.querySelector("caption")?.textContent.trim();
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption || (englishPage() ? "Table" : "Bảng"));
    }
  }
}
window.document$?.subscribe(() => requestAnimationFrame(focusableScrollers));
window.addEventListener("resize", focusableScrollers);
