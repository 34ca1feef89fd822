// The site's service worker: after a first visit the pages, their assets and (once a
// demo ran, or the reader asked) the Python runtime keep working offline. The build
// (sitebuild/offline.py) replaces the MANIFEST line with this build's version and files;
// a new build gets a new cache and the old one is deleted when it activates. Installing
// fetches nothing: pages ask for "save-site" once they are idle (offline.js).
const MANIFEST = { version: "dev", pages: [], core: [], python: [], pythonExtra: [] };

const PREFIX = "wsgi-hay-asgi-";
const CACHE = PREFIX + MANIFEST.version;
const scoped = (path) => new URL(path, self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then(() => self.skipWaiting()));
});

// Delete the caches of older builds. Also run on every status request: a response that an
// older worker was still storing while this one activated can bring its cache back.
function prune() {
  return caches
    .keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(prune().then(() => self.clients.claim()));
});

// An older worker still answering while a new build activates must not bring its deleted
// cache back to life: read with `cacheName` (which never creates) and write only if the
// cache still exists.
async function remember(request, response) {
  if (response.ok && (await caches.has(CACHE))) (await caches.open(CACHE)).put(request, response);
}

// The query is ignored (a search result links to its page with ?h=), and a worker learns
// its own URL from the response: a copy made here has no URL of its own, so the worker
// sees the URL it asked for, fragment included (the search page script passes its
// settings there).
async function cached(request) {
  const copy = await caches.match(request, { ignoreSearch: true, cacheName: CACHE });
  if (!copy || copy.url === request.url) return copy;
  return new Response(copy.body, { status: copy.status, statusText: copy.statusText, headers: copy.headers });
}

async function fromNetworkThenCache(request) {
  try {
    const response = await fetch(request);
    remember(request, response.clone());
    return response;
  } catch (error) {
    const copy = await cached(request);
    if (copy) return copy;
    throw error;
  }
}

async function fromCacheThenNetwork(request) {
  const copy = await cached(request);
  if (copy) return copy;
  const response = await fetch(request);
  remember(request, response.clone());
  return response;
}

// The Python runtime's requests in flight (a Run is loading Python): saving the site for
// offline waits for them, so that a Run never shares the reader's link with a background
// save. The worker's own responses fill the cache as they pass (remember), so nothing of
// the runtime is ever fetched a second time for offline use.
const RUNTIME = [scoped("pyodide/"), scoped("assets/runnable/")];
const SAVE_BATCH = 4; // files per step of a save: a Run that starts waits for one step at most
const QUIET_MS = 1000; // a gap this long between runtime requests means the load is over
let runtimeInFlight = 0;
let runtimeQuiet = Promise.resolve();
let markQuiet = () => {};

function runtimeRequest(response) {
  if (runtimeInFlight++ === 0) runtimeQuiet = new Promise((resolve) => (markQuiet = resolve));
  const settle = () => setTimeout(() => --runtimeInFlight === 0 && markQuiet(), QUIET_MS);
  response.then(settle, settle);
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  // Pages: the newest when online (a new build shows at once), the cached copy offline.
  // Everything else belongs to this build's cache.
  if (request.mode === "navigate") event.respondWith(fromNetworkThenCache(request));
  else if (RUNTIME.some((prefix) => request.url.startsWith(prefix))) {
    event.respondWith(runtimeRequest(fromCacheThenNetwork(request)));
  } else event.respondWith(fromCacheThenNetwork(request));
});

// Store what is not stored yet, into this build's cache only (never a deleted one), a few
// files at a time, each step after the Python runtime's requests have gone quiet.
async function save(paths, reply) {
  try {
    const todo = (await missing(paths)).map(scoped);
    for (let start = 0; start < todo.length; start += SAVE_BATCH) {
      await runtimeQuiet;
      if (!(await caches.has(CACHE))) throw new Error("a newer build is active");
      await (await caches.open(CACHE)).addAll(todo.slice(start, start + SAVE_BATCH));
    }
    reply({ saved: true });
  } catch (error) {
    reply({ saved: false, error: String(error) });
  }
}

async function missing(paths) {
  const found = await Promise.all(paths.map((path) => cached(scoped(path))));
  return paths.filter((_, i) => !found[i]);
}

self.addEventListener("message", (event) => {
  const reply = (message) => event.ports[0]?.postMessage(message);
  if (event.data?.type === "status") {
    prune();
    Promise.all([missing([...MANIFEST.pages, ...MANIFEST.core]), missing(MANIFEST.python)]).then(
      ([site, python]) => reply({ version: MANIFEST.version, site: site.length === 0, python: python.length === 0 }),
    );
  } else if (event.data?.type === "save-site") {
    save([...MANIFEST.pages, ...MANIFEST.core], reply);
  } else if (event.data?.type === "save-python") {
    save([...MANIFEST.python, ...MANIFEST.pythonExtra], reply);
  }
});
