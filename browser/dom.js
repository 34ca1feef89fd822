// The one DOM helper of the browser side: an element with attributes and text.

/** A new `tag` element with string `attributes` and, unless empty, `text` as its text. */
export function html(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== "") node.textContent = text;
  return node;
}
