// Material's search worker, adapted to a bilingual Vietnamese/English site.
//
// Material 9.8 searches the one search_index.json that the i18n plugin fills with both
// languages, and lunr matches Vietnamese words only with their exact diacritics, which
// readers often leave out ("dong bo" for "đồng bộ"). Material lets a site bring its own
// search worker (the `search` URL of its #__config; ../search.js points it here), so this
// worker runs Material's own and adjusts the messages it exchanges with the page:
// - setup: only the documents in the page's language are indexed;
// - indexing: a last lunr pipeline step folds every word ("đồng" -> "dong"); the word keeps
//   its position in the original text, so results still highlight "đồng";
// - query: the reader's words are folded the same way first (Material adds a trailing
//   wildcard to every word, and lunr skips the pipeline for wildcard terms);
// - results: the terms Material turns into the ?h= highlight of the page it links to are
//   given back as written in the page, not in their folded form.
// Everything else (ranking, result rendering, keyboard) stays Material's.

const params = new URLSearchParams(self.location.hash.slice(1)); // ../search.js sets them.
const section = params.get("section") ?? "";
const languages = (params.get("languages") ?? "").split(" ").filter(Boolean);

// Message types of Material's worker protocol (integrations/search/worker/message).
const SETUP = 0;
const QUERY = 2;
const RESULT = 3;

// Diacritics off, đ -> d: the form Vietnamese readers type without a Vietnamese keyboard.
const fold = (text) =>
  text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");

// The i18n folder structure puts the default language at the root and every other
// language under "<code>/", in the index as on the site.
const sectionOf = (location) => {
  const first = location.split("/")[0];
  return languages.includes(first) ? `${first}/` : "";
};

// Folded query word -> the word as the reader typed it, for the last query.
let typed = new Map();

// Registered before Material's handler (imported below), so it sees every message first.
addEventListener("message", ({ data: message }) => {
  if (message.type === SETUP) {
    message.data.docs = message.data.docs.filter((doc) => sectionOf(doc.location) === section);
  } else if (message.type === QUERY) {
    const words = message.data.toLowerCase().match(/[^\s\-*+:^~"]+/g) ?? [];
    typed = new Map(words.map((word) => [fold(word), word]));
    message.data = fold(message.data);
  }
});

importScripts(params.get("material"));

const foldToken = (token) => token.update(fold);
self.lunr.Pipeline.registerFunction(foldToken, "fold");
const add = self.lunr.Builder.prototype.add;
self.lunr.Builder.prototype.add = function (doc, attributes) {
  // Last, after the stop word filters (they list words with their diacritics). Material
  // sets the pipeline up before adding documents; remove + add keeps the step single.
  this.pipeline.remove(foldToken);
  this.pipeline.add(foldToken);
  return add.call(this, doc, attributes);
};

// An item's matched terms as written in its highlighted (<mark>) title and text, so that
// "dong" highlights "đồng" on the page; missing terms as the reader typed them. A term is
// a prefix (Material adds a wildcard), so each word is cut to the term's length: in NFC,
// folding keeps one character per character.
const asWritten = (item) => {
  const marked = [...`${item.title} ${item.text}`.matchAll(/<mark>([^<]*)<\/mark>/g)].map(
    ([, word]) => word.normalize("NFC").toLowerCase().replace(/^[^\p{L}\p{N}]+/u, ""),
  );
  const terms = {};
  for (const [term, found] of Object.entries(item.terms)) {
    const words = found ? marked.filter((word) => fold(word).startsWith(term)) : [];
    const written = words.map((word) => word.slice(0, term.length));
    for (const word of written.length ? written : [typed.get(term) ?? term]) terms[word] = found;
  }
  return terms;
};

const post = self.postMessage.bind(self);
self.postMessage = (message) => {
  if (message.type === RESULT) {
    for (const item of message.data.items.flat()) item.terms = asWritten(item);
  }
  post(message);
};
