// How a link names the block it is for: a runnable block by its snippet (data-snippet), a
// lab by its preset (data-preset). Both are unique on every page today; a name that comes
// back on one page gets its place among its namesakes, "name~2", so a link stays exact.
import { KIND } from "./share-link.js";

const BLOCKS = {
  [KIND.code]: { selector: ".runnable-block[data-snippet]", name: (node) => node.dataset.snippet },
  [KIND.lab]: { selector: ".lab[data-lab][data-preset]", name: (node) => node.dataset.preset },
};

/** [name, element] for every block of `kind` on the page, in page order. */
function named(kind) {
  const { selector, name } = BLOCKS[kind];
  const nodes = [...document.querySelectorAll(selector)];
  const names = nodes.map(name);
  return nodes.map((node, i) => {
    const same = names.filter((other) => other === names[i]);
    const place = names.slice(0, i + 1).filter((other) => other === names[i]).length;
    return [same.length > 1 ? `${names[i]}~${place}` : names[i], node];
  });
}

/** The name a link gives the block of `kind` whose root is `node`. */
export function targetName(kind, node) {
  return named(kind).find(([, other]) => other === node)[0];
}

/** The block of `kind` a link names `name`, or null when this page has none. */
export function findTarget(kind, name) {
  return BLOCKS[kind] ? (named(kind).find(([other]) => other === name)?.[1] ?? null) : null;
}
