// Opening a share link or an embed view: the named block shows the shared code or setups
// under a note, and nothing runs until the reader presses Run or Simulate. The shared code
// stays in memory (RunnableBlock.showShared); the reader's own saved edit is replaced only
// when they edit the shared one. A link that cannot be read leaves the page as it is and
// says why, at the top of the content.
import { html } from "./dom.js";
import { strings } from "./i18n.js";
import { shareableAt } from "./share-control.js";
import { embedRequest, keepInEmbed, leaveEmbed, showEmbed } from "./share-embed.js";
import { KIND, SHARE_ERROR, decodeShare, isShareHash } from "./share-link.js";
import { shareStrings } from "./share-strings.js";
import { findTarget } from "./share-targets.js";

const alerts = []; // what the last link opened said: a newer link clears it
let active = null; // the shared version shown now: a newer link (hashchange) replaces it

/** Say at the top of the content why the link could not be opened, in the page's language. */
function showAlert(error) {
  const alert = html("div", { class: "admonition warning share-alert", role: "alert" });
  alert.append(html("p", {}, shareStrings().errors[error]));
  keepInEmbed(alert);
  document.querySelector("article")?.prepend(alert);
  alerts.push(alert);
}

/** The lab at `node`, its form built now even if it is far down the page. */
async function labAt(node) {
  const { mountLab } = await import("./lab.js");
  mountLab(node);
  return shareableAt(node).block;
}

/** The note above a shared block: what it is, and a Reset that brings the page's own back. */
function noteFor(kind, onReset) {
  const t = shareStrings();
  // Before the block, not inside it: focus there is not intent, so it loads no Python.
  const note = html("div", { class: "share-note", tabindex: "-1" });
  const label = strings().reset;
  const reset = html("button", { type: "button", class: "md-button" }, label);
  reset.addEventListener("click", onReset);
  note.append(html("p", {}, (kind === KIND.code ? t.sharedCode : t.sharedLab)(label)), reset);
  return note;
}

/** Show `link`'s data (read from `hash`) in its block; returns its root and note, or {error}. */
async function applyShared({ kind, target, data }, hash) {
  const node = findTarget(kind, target);
  if (!node) return { error: SHARE_ERROR.unknownTarget };
  const block = kind === KIND.code ? shareableAt(node).block : await labAt(node);
  const leave = () => {
    note.remove();
    active = null;
    // A reload then shows the page's own version; a newer link keeps its fragment.
    if (location.hash === hash) history.replaceState(history.state, "", location.pathname + location.search);
    shareableAt(node).button.focus();
  };
  const reset = () => (kind === KIND.code ? block.reset() : (block.restorePreset(), leave()));
  const note = noteFor(kind, reset);
  active?.();
  if (kind === KIND.code) block.showShared(data.code, leave);
  else if (!block.setParams(data.setups)) return { error: SHARE_ERROR.corrupt };
  active = reset;
  node.before(note);
  return { node, note };
}

/** Open the share link and the embed view the address asks for, if any. */
export async function openLink() {
  let shown = null;
  const hash = location.hash;
  for (const alert of alerts.splice(0)) alert.remove();
  if (isShareHash(hash)) {
    const link = await decodeShare(hash);
    if (location.hash !== hash) return; // a newer link came meanwhile: it is opening
    shown = link.error ? link : await applyShared(link, hash);
    if (shown.error) showAlert(shown.error);
  }
  const embed = embedRequest();
  if (embed) {
    const node = findTarget(...embed);
    if (node) {
      if (embed[0] === KIND.lab) await labAt(node);
      showEmbed(node, shown?.note ? [shown.note] : []);
    } else {
      leaveEmbed();
      showAlert(SHARE_ERROR.unknownTarget);
    }
  }
  if (shown?.note) {
    shown.note.scrollIntoView({ block: "start" });
    shown.note.focus({ preventScroll: true });
  }
}
