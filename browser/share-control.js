// The Share button of runnable blocks and labs, and the watch for share and embed links.
// Loaded with every page, so kept small: the work itself (share.js, share-open.js) loads
// only when a reader presses Share or opens such a link.
import { html } from "./dom.js";
import { pageLanguage } from "./lang.js";
import { KIND, isShareHash } from "./share-key.js";

// The one string every page needs at load; the others (share-strings.js) load on use.
const LABEL = { vi: "Chia sẻ", en: "Share" };

/** What a Share button shares: a runnable block's code, or a lab's setups. */
export const SHARE_KIND = KIND;

// The blocks built on this page and earlier ones (Material's instant navigation): share.js
// looks a link's target up here, among those still in the document.
const shareables = [];

/** A Share button for `block` (a runnable block or a lab, of `kind`), which it registers. */
export function shareButton(kind, block) {
  const button = html("button", { type: "button", class: "md-button share-button", "aria-expanded": "false" }, LABEL[pageLanguage()]);
  shareables.push({ kind, block, button });
  button.addEventListener("click", () => import("./share.js").then(({ share }) => share(kind, block, button)));
  return button;
}

/** The registered entry ({kind, block, button}) whose block's root is `root`, or undefined. */
export function shareableAt(root) {
  return shareables.find((entry) => entry.block.root === root);
}

/** Open the address's share link or embed view, if it has one, once the blocks are built. */
export function openLinks() {
  const gone = shareables.filter((entry) => !entry.block.root.isConnected);
  for (const entry of gone) shareables.splice(shareables.indexOf(entry), 1);
  if (isShareHash(location.hash) || document.documentElement.dataset.embed !== undefined) {
    import("./share-open.js").then(({ openLink }) => openLink());
  }
}

// A share link pasted into the address bar of its own page changes only the fragment.
window.addEventListener("hashchange", () => isShareHash(location.hash) && openLinks());
