// What marks a share link and what one can carry: the little of the link format that every
// page needs at load (share-control.js); the rest, in share-link.js, loads on use.

/** The fragment's key; a fragment that does not start with it is not a share link. */
export const SHARE_KEY = "share=";
/** What a link can carry: a runnable block's code, or a lab's setups. */
export const KIND = Object.freeze({ code: "code", lab: "lab" });

/** Whether `hash` (location.hash) is meant as a share link, readable or not. */
export function isShareHash(hash) {
  return hash.startsWith(`#${SHARE_KEY}`);
}
