// The Share panel: a link to this page holding what the reader has now (a block's code, a
// lab's setups), copied to the clipboard, and an <iframe> line for the embed view.
import { html } from "./dom.js";
import { embedUrl, pageUrl } from "./share-embed.js";
import { KIND, MAX_FRAGMENT_CHARS, encodeShare } from "./share-link.js";
import { shareStrings } from "./share-strings.js";
import { targetName } from "./share-targets.js";

const PANELS = new WeakMap(); // Share button -> its panel, built on the first press
let panelCount = 0;

function field(panel, id, label) {
  const input = html("input", { type: "text", id, readonly: "", class: "share-field", spellcheck: "false" });
  input.addEventListener("focus", () => input.select());
  const row = html("label", { for: id, class: "share-label" }, label);
  panel.append(row, input);
  return input;
}

function panelFor(button) {
  if (!PANELS.has(button)) {
    const t = shareStrings();
    const id = `share-${++panelCount}`;
    const panel = html("div", { class: "share-panel", id });
    const link = field(panel, `${id}-link`, t.link);
    const embed = field(panel, `${id}-embed`, t.embed);
    const status = html("p", { class: "share-status", role: "status", "aria-live": "polite" });
    panel.append(status);
    // Outside a lab's form: Enter in a field there would submit it, which is Simulate.
    (button.closest("form") ?? button.parentElement).after(panel);
    button.setAttribute("aria-controls", id);
    PANELS.set(button, { panel, link, embed, status });
  }
  return PANELS.get(button);
}

/** What a link carries for `block`: its code as the reader has it, or the lab's setups. */
function snapshot(kind, block) {
  return kind === KIND.code ? { code: block.code() } : { setups: block.params() };
}

/** Build the link for `block` of `kind`, show it under `button` and copy it. */
export async function share(kind, block, button) {
  const t = shareStrings();
  const { panel, link, embed, status } = panelFor(button);
  status.textContent = ""; // so that the same words, said again, are announced again
  const target = targetName(kind, block.root);
  const encoded = await encodeShare(kind, target, snapshot(kind, block));
  button.setAttribute("aria-expanded", "true");
  if (encoded.error) {
    link.value = embed.value = "";
    panel.dataset.state = "error";
    status.textContent = t.tooLong(MAX_FRAGMENT_CHARS);
    return;
  }
  panel.dataset.state = "ready";
  link.value = pageUrl(encoded.fragment);
  embed.value = iframeLine(embedUrl(kind, target, encoded.fragment), target);
  try {
    await navigator.clipboard.writeText(link.value);
    status.textContent = t.copied;
  } catch {
    // Refused (no permission, or a frame the host did not allow to write): by hand.
    status.textContent = t.copyRefused;
    link.focus();
  }
}

function iframeLine(src, target) {
  const frame = html("iframe", { src, title: `${target}: ${document.title}`, width: "100%", height: "480", loading: "lazy" });
  return frame.outerHTML;
}
