// The page's side of the Python worker: one warm worker per page, replaced when stopped
// and whenever it ends on its own.
//
// Python never runs on the main thread. Stop terminates the worker, which ends any
// runaway loop at once on every host (the interrupt buffer would need cross-origin
// isolation headers that static hosts cannot send), and a fresh worker is started.
//
// A worker can end without a word: one that closes itself fires no event on the page,
// and an Emscripten exit leaves it idle but useless (worker.js then closes it). So each
// worker holds a Web Lock for its whole life, and the page asks for the same lock: the
// browser grants it the moment the worker is gone, even mid-run, with no polling and no
// heartbeat that a busy Python could not send (https://w3c.github.io/web-locks/).
// Without the Locks API (a page served over plain http from another host) the worker's
// fatal message and its error events are all there is.
import * as protocol from "./protocol.js";

const { CRASH, MESSAGE, RUN_STATUS } = protocol;

/** A load that receives no byte for this long is stalled: the watchdog gives it up. */
export const LOAD_STALL_MS = 20_000;
const LOCK_PREFIX = "wsgi-hay-asgi:python-worker:";

let current = null; // {worker, port, ready, watchdog} of the live worker, or null
let nextId = 1;
let workerCount = 0;
// Jobs by id: {request, onMessage, sentTo (the worker it went to), started, retried}.
const pending = new Map();

// While Python loads, <html> carries this attribute: the offline saver (page-scripts/
// offline.js, a classic script that cannot import this module) waits for it to go before
// it asks the service worker to save the site, so the two never share the reader's link.
const LOADING_ATTRIBUTE = "data-python-loading";
const showLoading = (loading) => document.documentElement.toggleAttribute(LOADING_ATTRIBUTE, loading);

function start() {
  showLoading(true);
  const name = `${LOCK_PREFIX}${Date.now()}-${++workerCount}-${Math.random()}`;
  const instance = { worker: new Worker(new URL("./worker.js", import.meta.url), { type: "module", name }) };
  current = instance;
  watch(instance);
  instance.worker.addEventListener("message", (event) => {
    // The worker's own channel carries hello and nothing else: anything later on it may
    // be forged by a reader's code (js.postMessage), so it is ignored.
    if (instance.port || event.data?.type !== MESSAGE.hello || !event.ports[0]) return;
    instance.port = event.ports[0];
    instance.port.onmessage = (reply) => receive(instance, reply.data);
    watch(instance);
    if (event.data.lock && navigator.locks) {
      navigator.locks.request(event.data.lock, () => ended(instance, CRASH.vanished, ""));
    }
  });
  instance.worker.addEventListener("error", (event) => {
    // After hello, worker.js judges its errors itself and ends if Python cannot go on.
    if (!instance.port) ended(instance, CRASH.loadFailed, event.message || "");
  });
}

/** (Re)arm the load watchdog of `instance` while it loads: any progress buys more time. */
function watch(instance) {
  clearTimeout(instance.watchdog);
  if (!instance.ready) instance.watchdog = setTimeout(() => ended(instance, CRASH.loadStalled, ""), LOAD_STALL_MS);
}

function receive(instance, message) {
  if (instance !== current) return;
  if (message.type === MESSAGE.progress) watch(instance);
  else if (message.type === MESSAGE.ready) {
    instance.ready = true;
    showLoading(false);
    clearTimeout(instance.watchdog);
    dispatch();
  } else if (message.type === MESSAGE.fatal) ended(instance, message.cause, message.error);
  else {
    const job = pending.get(message.id);
    if (job?.sentTo !== instance) return;
    if (message.type === MESSAGE.started) job.started = true;
    job.onMessage(message);
  }
}

/** Send every job not yet sent to the live worker, once it is ready. */
function dispatch() {
  if (!current?.ready) return;
  for (const job of pending.values()) {
    if (job.sentTo !== current) {
      job.sentTo = current;
      current.worker.postMessage(job.request);
    }
  }
}

/**
 * `instance` ended (or must end) for `cause`: the job it was running ends as crashed, a
 * job still waiting in it gets one more chance on a fresh worker, started at once unless
 * Python never loaded (then the next Run tries again).
 */
function ended(instance, cause, detail) {
  if (instance !== current) return; // Stop replaced it already, or a second sign of one end
  clearTimeout(instance.watchdog);
  instance.worker.terminate();
  current = null;
  showLoading(false);
  const loaded = Boolean(instance.ready);
  for (const [id, job] of pending) {
    // Once loaded, every pending job was sent to `instance`; one that had not started
    // goes again to the next worker (once: it might be what ended this one).
    if (loaded && !job.started && !job.retried) job.retried = true;
    else finish(id, { status: RUN_STATUS.crashed, error: String(detail || ""), cause });
  }
  if (loaded) start();
}

/** End job `id` with `result`, as its worker would have. */
function finish(id, result) {
  const job = pending.get(id);
  pending.delete(id);
  job.onMessage(protocol.done(id, result));
}

function enqueue(request, onMessage) {
  if (!current) start();
  pending.set(request.id, { request, onMessage });
  dispatch();
}

/** A rejected simulation: the LabError's message, with its `field` and the whole `data`. */
function labFailure(data) {
  return Object.assign(new Error(data.message), { field: data.field ?? null, data });
}

/** Start loading Python in the background (the reader showed intent to run code). */
export function preload() {
  if (!current) start();
}

/** Run code; `onMessage` receives this run's messages (protocol.js), done last. */
export function runCode(code, options, onMessage) {
  const id = nextId++;
  enqueue(protocol.runRequest(id, code, options.session, options.check, options.awaitTree), (message) => {
    if (message.type === MESSAGE.done) pending.delete(id);
    onMessage(message);
  });
}

/**
 * Ask the worker for a lab simulation: resolves with serverlab's result dictionary, or
 * rejects with an Error whose `field` names the parameter at fault (null when none) and
 * whose `data` is the LabError's dictionary.
 */
export function simulate(params) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    enqueue(protocol.simulateRequest(id, params), (message) => {
      pending.delete(id);
      if (message.type === MESSAGE.labResult) resolve(message.result);
      else if (message.type === MESSAGE.labError) reject(labFailure(message.error));
      else reject(new Error(message.error || message.status)); // stopped or crashed
    });
  });
}

/** End every run at once and get a fresh worker ready for the next one. */
export function stopAll() {
  if (current) {
    clearTimeout(current.watchdog);
    current.worker.terminate();
    current = null;
  }
  for (const id of [...pending.keys()]) finish(id, { status: RUN_STATUS.stopped });
  start();
}
