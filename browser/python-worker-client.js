// The page's side of the Python worker: one warm worker per page, replaced when stopped.
//
// Python never runs on the main thread. Stop terminates the worker, which ends any
// runaway loop at once on every host (the interrupt buffer would need cross-origin
// isolation headers that static hosts cannot send), and a fresh worker is started.

let worker = null;
let ready = null;
let nextId = 1;
const pending = new Map();

function start() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const current = worker;
  ready = new Promise((resolve, reject) => {
    current.addEventListener("message", (event) => {
      const message = event.data;
      if (message.type === "ready") resolve(message);
      else if (message.type === "fatal") {
        reject(new Error(message.error));
        crash(current, message.error);
      } else pending.get(message.id)?.onMessage(message);
    });
    current.addEventListener("error", (event) => {
      event.preventDefault();
      reject(new Error(event.message || "worker error"));
      crash(current, event.message);
    });
  });
  ready.catch(() => {});
}

function crash(crashed, reason) {
  if (crashed !== worker) return;
  crashed.terminate();
  worker = null;
  for (const [id, job] of pending) {
    pending.delete(id);
    job.onMessage({ type: "done", id, status: "crashed", error: String(reason || "") });
  }
}

/** Start loading Python in the background (the reader showed intent to run code). */
export function preload() {
  if (!worker) start();
  return ready;
}

/** Run code; `onMessage` receives output, lab and done messages for this run. */
export async function runCode(code, options, onMessage) {
  preload();
  const id = nextId++;
  pending.set(id, {
    onMessage(message) {
      if (message.type === "done") pending.delete(id);
      onMessage(message);
    },
  });
  try {
    await ready;
  } catch {
    return; // The crash handler has already told this run's listener.
  }
  if (pending.has(id)) worker.postMessage({ type: "run", id, code, ...options });
}

/** Ask the worker for a lab simulation; resolves with the result dictionary. */
export function simulate(params) {
  return new Promise((resolve, reject) => {
    preload();
    const id = nextId++;
    pending.set(id, {
      onMessage(message) {
        if (message.type === "lab-result") {
          pending.delete(id);
          resolve(message.result);
        } else if (message.type === "done") {
          pending.delete(id);
          reject(new Error(message.error || message.status));
        }
      },
    });
    ready.then(
      () => worker?.postMessage({ type: "simulate", id, params }),
      (error) => reject(error),
    );
  });
}

/** End every run at once and get a fresh worker ready for the next one. */
export function stopAll() {
  if (worker) {
    worker.terminate();
    worker = null;
  }
  for (const [id, job] of pending) {
    pending.delete(id);
    job.onMessage({ type: "done", id, status: "stopped" });
  }
  start();
}
