// "Copy page as Markdown" (overrides/partials/actions.html): on click, fetch the page's
// Markdown copy and put it on the clipboard; before the click nothing is fetched. Without
// JavaScript the control stays a plain link to index.md. Its words come from the partial,
// in the page's language, so this script holds none.
//
// A classic page script, like site.js: 2.2 KB (1.1 KB gzipped) on every page, then cached.
// A dynamic import() from the bundle would put only a few bytes before intent, but needs
// a line in browser/runnable.js, the bundle's entry, which belongs to the runnable demos.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[data-copy-page]");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  copyPage(link);
});

async function copyPage(link) {
  const status = link.parentElement.querySelector(".copy-page__status");
  const markdown = fetch(link.href).then((response) => {
    if (!response.ok) throw new Error(`${link.href}: HTTP ${response.status}`);
    return response.text();
  });
  try {
    await copy(markdown);
    status.textContent = link.dataset.copied;
  } catch {
    // Offline the copy is not cached (see sitebuild/markdown_copies.py): say so. Otherwise
    // the clipboard was refused, and the reader gets the link to copy from by hand.
    const loaded = await markdown.then(() => true, () => false);
    status.textContent = loaded ? `${link.dataset.refused} ` : link.dataset.unavailable;
    if (loaded) {
      const open = status.appendChild(document.createElement("a"));
      open.href = link.href;
      open.textContent = "index.md";
    }
  }
}

// Safari allows a clipboard write only during the click itself, so the text goes in as a
// promise the clipboard waits for; browsers without ClipboardItem get it once fetched.
function copy(markdown) {
  if (!window.ClipboardItem) return markdown.then((text) => navigator.clipboard.writeText(text));
  const blob = markdown.then((text) => new Blob([text], { type: "text/plain" }));
  return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
}
