// The messages between the page and the Python worker, defined once for both sides: the
// worker (worker-core.js), the page's client (python-worker-client.js) and whoever reads
// its messages (runnable.js, lab.js) build and recognise messages only through this file.
// The Python half of the payloads (a run's result, a lab result or error) is written by
// packages/pyrunner/pyrunner/browser.py.

/**
 * Every message type; page -> worker: run, simulate; worker -> page: the others. hello
 * alone comes on the worker's own channel; every other reply comes on the port it carries.
 */
export const MESSAGE = Object.freeze({
  run: "run",
  simulate: "simulate",
  hello: "hello",
  progress: "progress",
  ready: "ready",
  status: "status",
  started: "started",
  output: "output",
  lab: "lab",
  labResult: "lab-result",
  labError: "lab-error",
  tasks: "tasks",
  done: "done",
  fatal: "fatal",
});

/**
 * How a run ended, the `status` of a done message. ok, error and output-limit are
 * pyrunner's own (RunResult.status, tests/test_worker_protocol.py keeps them equal);
 * the page adds stopped (the reader pressed Stop) and crashed (the worker died).
 */
export const RUN_STATUS = Object.freeze({
  ok: "ok",
  error: "error",
  outputLimit: "output-limit",
  stopped: "stopped",
  crashed: "crashed",
});

/**
 * Why a worker ended, the `cause` of a fatal message and of a crashed run's done message:
 * Python exited (os._exit), failed beyond repair (a stack overflow in C, say), the worker
 * vanished without a word (it closed itself, or the browser ended it), or its load failed
 * or stalled (the page's watchdog).
 */
export const CRASH = Object.freeze({
  exited: "exited",
  failed: "failed",
  vanished: "vanished",
  loadFailed: "load-failed",
  loadStalled: "load-stalled",
});

/**
 * What a run asked for that the runner lacks, the `unavailable` of a done message (empty if
 * nothing): `input()`, or a standard-library module whose archive could not be fetched.
 * pyrunner's errors name these (their `unavailable`); tests/test_stdlib_split.py keeps
 * the two equal.
 */
export const UNAVAILABLE = Object.freeze({
  input: "input",
  stdlib: "stdlib",
});

/** The `status` of a status message: the run waits for packages its imports need. */
export const LOADING_PACKAGES = "loading-packages";

/**
 * What a task of the await tree waits on, and how it stands: pyrunner.await_tree_types'
 * AwaitKind and TaskState (tests/test_await_tree.py keeps them equal).
 */
export const AWAIT_KIND = Object.freeze({ sleep: "sleep", task: "task", gather: "gather", future: "future", ready: "ready" });
export const TASK_STATE = Object.freeze({ pending: "pending", done: "done", failed: "failed", cancelled: "cancelled" });

/**
 * @typedef {{type: "run", id: number, code: string, session?: string, check?: object | null,
 *   awaitTree?: boolean}} RunRequest
 *   `check`: a "fix the view" challenge's check, {name, ...arguments} (pyrunner.checks).
 *   `awaitTree`: send the run's await tree as tasks messages while it runs.
 * @typedef {{type: "simulate", id: number, params: object}} SimulateRequest
 * @typedef {{type: "hello", lock: string | null}} Hello  The worker's first word, with the
 *   MessagePort of its replies; `lock` is the Web Lock it holds while it lives, if any.
 * @typedef {{type: "progress"}} Progress  Loading Python goes on (bytes arrived).
 * @typedef {{type: "ready", ms: number}} Ready  Python is loaded, after `ms` milliseconds.
 * @typedef {{type: "status", id: number, status: string}} Status
 * @typedef {{type: "started", id: number}} Started  The run's code starts now.
 * @typedef {{type: "output", id: number, stream: "stdout" | "stderr", text: string}} Output
 * @typedef {{type: "lab", id: number, data: object}} Lab  A chart `serverlab.show()` asked for.
 * @typedef {{type: "lab-result", id: number, result: object}} LabResult  serverlab's Result.to_dict().
 * @typedef {{message: string, field: string | null, messages?: {vi?: string, en: string}}} LabErrorData
 *   LabError.to_dict(): the English message, the field at fault, both languages' messages.
 * @typedef {{type: "lab-error", id: number, error: LabErrorData}} LabError
 * @typedef {{type: "tasks", id: number, tree: object | null}} Tasks  The run's await tree,
 *   pyrunner.await_tree_types' Snapshot, or null: unchanged, but the loop answers.
 * @typedef {{type: "done", id: number, status: string, error: string, elapsed_ms: number,
 *   output_limit: number, unavailable: string, cause: string, verdict: object | null}} Done
 *   output_limit and unavailable are pyrunner's RunResult fields; cause (a CRASH) when
 *   status is crashed; verdict, pyrunner.checks' Verdict {passed, messages} for a run
 *   with a check.
 * @typedef {{type: "fatal", cause: string, error: string}} Fatal  The worker cannot go on.
 * @typedef {RunRequest | SimulateRequest} Request
 * @typedef {Hello | Progress | Ready | Status | Started | Output | Lab | LabResult | LabError
 *   | Tasks | Done | Fatal} Reply
 */

/** @returns {RunRequest} */
export const runRequest = (id, code, session = "", check = null, awaitTree = false) => ({ type: MESSAGE.run, id, code, session, check, awaitTree });

/** @returns {SimulateRequest} */
export const simulateRequest = (id, params) => ({ type: MESSAGE.simulate, id, params });

/** @returns {Hello} */
export const hello = (lock) => ({ type: MESSAGE.hello, lock });

/** @returns {Progress} */
export const progress = () => ({ type: MESSAGE.progress });

/** @returns {Ready} */
export const ready = (ms) => ({ type: MESSAGE.ready, ms });

/** @returns {Status} */
export const status = (id, value) => ({ type: MESSAGE.status, id, status: value });

/** @returns {Started} */
export const started = (id) => ({ type: MESSAGE.started, id });

/** @returns {Output} */
export const output = (id, stream, text) => ({ type: MESSAGE.output, id, stream, text });

/** @returns {Lab} */
export const lab = (id, data) => ({ type: MESSAGE.lab, id, data });

/** @returns {Tasks} */
export const tasks = (id, tree) => ({ type: MESSAGE.tasks, id, tree });

/** @returns {LabResult} */
export const labResult = (id, result) => ({ type: MESSAGE.labResult, id, result });

/** @returns {LabError} */
export const labError = (id, error) => ({ type: MESSAGE.labError, id, error });

/** A run's end; `result` is pyrunner's RunResult, or the page's {status, cause}. @returns {Done} */
export const done = (
  id,
  { status: value, error = "", elapsed_ms = 0, output_limit = 0, unavailable = "", cause = "", verdict = null },
) => ({ type: MESSAGE.done, id, status: value, error, elapsed_ms, output_limit, unavailable, cause, verdict });

/** @returns {Fatal} */
export const fatal = (cause, error) => ({ type: MESSAGE.fatal, cause, error: String(error) });
