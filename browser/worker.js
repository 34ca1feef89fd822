// The Python worker's browser entry: the self-hosted Pyodide and the page's messages,
// wired to the worker core (worker-core.js), which the Pyodide tests run as it is.
import * as protocol from "./protocol.js";
import { decodedBytes, decodedResponse, twinOf, verifiedResponse } from "./runtime-twins.js";
import { startWorker } from "./worker-core.js";

const PYODIDE_URL = new URL("../../pyodide/", import.meta.url).href;
const PROGRESS_EVERY_MS = 500;

// Replies go through a MessagePort only this module holds. A reader's code shares this
// worker's global scope, so `js.postMessage(...)` can forge a message on the worker's own
// channel, but never on this port: the page ignores the worker's channel after hello.
const { port1: replies, port2: pagePort } = new MessageChannel();
const post = (message) => replies.postMessage(message);

// The page's watchdog must tell a slow download from a stalled one: every chunk of bytes
// that arrives while Python loads is progress. Pyodide fetches its files through fetch().
const plainFetch = globalThis.fetch;
let lastProgress = 0;
function reportProgress() {
  const now = performance.now();
  if (now - lastProgress < PROGRESS_EVERY_MS) return;
  lastProgress = now;
  post(protocol.progress());
}
// A file with a zstd twin is fetched as its twin and handed to Pyodide decoded; a wheel's
// integrity, which the browser would check against the twin, is checked on the decoded bytes.
async function countingFetch(resource, options = {}) {
  const url = resource instanceof Request ? resource.url : String(resource);
  const twin = twinOf(url, PYODIDE_URL);
  const { integrity, ...rest } = options;
  const response = await plainFetch(twin ?? resource, twin ? rest : options);
  reportProgress();
  if (!response.body) return response;
  const counted = new TransformStream({
    transform(chunk, controller) {
      reportProgress();
      controller.enqueue(chunk);
    },
  });
  const { status, statusText, headers } = response;
  const received = new Response(response.body.pipeThrough(counted), { status, statusText, headers });
  if (!twin) return received;
  return integrity ? verifiedResponse(received, url, integrity) : decodedResponse(received, url);
}

/** `load()`, with Pyodide's fetches going through countingFetch while it runs. */
async function fetchingRuntime(load) {
  globalThis.fetch = countingFetch;
  try {
    return await load();
  } finally {
    globalThis.fetch = plainFetch; // A reader's own fetch gets the browser's, untouched.
  }
}

/**
 * The bytes at `url`, synchronously: an import cannot wait for a promise, and a worker may
 * block on a synchronous request (the page never does). A twinned file comes decoded.
 */
function readBytesSync(url) {
  const twin = twinOf(url, PYODIDE_URL);
  const fetched = twin ?? url;
  const request = new XMLHttpRequest();
  request.open("GET", fetched, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`HTTP ${request.status} for ${fetched}`);
  const bytes = new Uint8Array(request.response);
  return twin ? decodedBytes(bytes) : bytes;
}

const { handle, uncaught } = startWorker({
  loadPyodide: (options) =>
    fetchingRuntime(async () => {
      const { loadPyodide } = await import(/* @vite-ignore */ `${PYODIDE_URL}pyodide.mjs`);
      return await loadPyodide(options);
    }),
  fetchingRuntime,
  indexURL: PYODIDE_URL,
  post,
  readBytesSync,
});
addEventListener("message", (event) => handle(event.data));

// Python fatally broken (os._exit, say) leaves this worker idle but useless: end it, so
// that the page, which waits on this worker's life lock, replaces it at once.
const endIfFatal = (error) => {
  if (uncaught(error)) close();
};
addEventListener("unhandledrejection", (event) => endIfFatal(event.reason));
addEventListener("error", (event) => endIfFatal(event.error));

// The life lock: held from now until this worker ends, however it ends (even closing
// itself, which fires no event on the page, or dying while Python is busy). The page
// names it (the worker's `name`) and asks for it once told it is held: the browser
// grants the page's request the moment this worker is gone.
// https://w3c.github.io/web-locks/#lock-lifetime
const sayHello = (lock) => postMessage(protocol.hello(lock), [pagePort]);
if (navigator.locks && self.name) {
  navigator.locks.request(self.name, () => {
    sayHello(self.name);
    return new Promise(() => {});
  });
} else sayHello(null);
