// The embed view: PAGE/?embed=<kind>.<target>, the page showing one block and no
// navigation, for other sites to put in an iframe. The head script (page-scripts/embed.js)
// marks <html data-embed> before the first paint, so share.css hides the site's chrome at
// once; this module then keeps the one block, its shared note and a link back.
//
// Nothing in the pages stops framing: the Content-Security-Policy is a <meta>, where
// frame-ancestors has no effect (sitebuild/csp.py), there is no X-Frame-Options (a static
// host sends no such header) and no script checks window.top.
import { html } from "./dom.js";
import { shareStrings } from "./share-strings.js";

// The query parameter's name is written once, on the head script's tag in overrides/main.html.
const embedParam = () => document.querySelector("script[data-embed-param]").dataset.embedParam;
const SHOW = "share-embed-show"; // what the embed shows: the block, its note, messages
const PATH = "share-embed-path"; // the elements that hold it, whose other children hide
let backLine = null; // the link back, made anew when a newer share link opens

/** The block the embed view asks for, as [kind, target], or null outside an embed view. */
export function embedRequest() {
  const value = document.documentElement.dataset.embed;
  if (value === undefined) return null;
  const dot = value.indexOf(".");
  return [value.slice(0, dot), value.slice(dot + 1)];
}

/** This page's address (never the embed view) with `fragment`, if any, as its fragment. */
export function pageUrl(fragment = "") {
  return location.origin + location.pathname + (fragment && `#${fragment}`);
}

/** The embed view of the block `target` of `kind` on this page, showing `fragment`. */
export function embedUrl(kind, target, fragment) {
  const query = new URLSearchParams({ [embedParam()]: `${kind}.${target}` });
  return `${location.origin}${location.pathname}?${query}#${fragment}`;
}

/** Mark `node` (a message, a note) as one the embed view shows. */
export function keepInEmbed(node) {
  node.classList.add(SHOW);
}

/** Show only `block` (and `extras`) of the page, with a link back to the full page. */
export function showEmbed(block, extras = []) {
  for (const node of [block, ...extras]) keepInEmbed(node);
  for (let node = block.parentElement; node && !node.matches("article"); node = node.parentElement) node.classList.add(PATH);
  const site = document.querySelector(".md-header__topic .md-ellipsis")?.textContent.trim() || document.title;
  const back = html("a", { href: pageUrl(location.hash.slice(1)) }, shareStrings().open(site));
  backLine?.remove();
  backLine = html("p", { class: `share-embed-open ${SHOW}` });
  backLine.append(back);
  block.after(backLine);
  // A link followed inside a frame would leave the host's page for ours in a small box.
  for (const link of document.querySelectorAll("a[href]")) Object.assign(link, { target: "_blank", rel: "noopener" });
}

/** Leave the embed view for the whole page, as when the block it asks for is not here. */
export function leaveEmbed() {
  delete document.documentElement.dataset.embed;
}
