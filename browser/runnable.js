// Page script: turns every `.runnable-block` the build wrapped around a
// `.runnable[data-snippet]` code block (sitebuild/runnable.py) into an editable, runnable
// demo. The code stays where the page painted it; the script only adds beside it.
// Nothing heavy loads until the reader shows intent (pointer or focus on a block, or
// Run): then the Python worker starts loading; the editor chunk loads when the reader
// reaches into the code.
import { html } from "./dom.js";
import { strings } from "./i18n.js";
import { MESSAGE, RUN_STATUS, UNAVAILABLE } from "./protocol.js";
import { LOAD_STALL_MS, preload, runCode, stopAll } from "./python-worker-client.js";
import { SHARE_KIND, openLinks, shareButton } from "./share-control.js";

const STORAGE_PREFIX = "wsgi-hay-asgi:snippet:";
const MAX_DETAIL_CHARS = 200; // of a crash's own words, quoted in the notice
const CHUNK_CHARS = 2048; // of output laid out together
// Output written per frame: a worker prints far faster than a browser lays lines out, and
// the page must answer within a frame or so; the rest waits for the next frames.
const FRAME_CHARS = 2048;
let blockCount = 0;

class RunnableBlock {
  constructor(root) {
    const source = root.querySelector(".runnable[data-snippet]");
    this.t = strings();
    this.root = root;
    this.snippet = source.dataset.snippet;
    this.session = source.dataset.session || "";
    this.awaitTree = source.classList.contains("await-tree"); // The fence asks for the panel.
    this.original = source.querySelector("code").textContent.replace(/\n$/, "");
    this.storageKey = STORAGE_PREFIX + this.snippet;
    this.editor = null;
    this.running = false;
    this.queue = []; // output and the end of a run, waiting for their frame (later())
    this.render();
  }

  render() {
    const t = this.t;
    this.codeHost = this.root.querySelector(".runnable-code");
    const toolbar = html("div", { class: "runnable-toolbar" });
    this.runButton = html("button", { type: "button", class: "md-button md-button--primary runnable-run", "aria-keyshortcuts": "Control+Enter Meta+Enter" }, t.run);
    this.stopButton = html("button", { type: "button", class: "md-button runnable-stop", disabled: "" }, t.stop);
    this.resetButton = html("button", { type: "button", class: "md-button runnable-reset" }, t.reset);
    this.status = html("span", { class: "runnable-status", role: "status" });
    toolbar.append(this.runButton, this.stopButton, this.resetButton, shareButton(SHARE_KIND.code, this), this.status);
    this.hint = html("p", { class: "runnable-hint" }, t.hint);
    // Says "edited" while the code differs from the original; the editor points to it
    // with aria-describedby, and as a live region it is announced when it appears.
    this.editedNote = html("p", { class: "runnable-hint runnable-edited-note", id: `runnable-${++blockCount}-edited`, "aria-live": "polite" });
    this.output = html("pre", { class: "runnable-output", role: "log", "aria-live": "polite", "aria-label": t.output, hidden: "" });
    this.charts = html("div", { class: "runnable-charts" });
    this.codeHost.after(toolbar, this.hint, this.editedNote, this.output, this.charts);

    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => stopAll());
    this.resetButton.addEventListener("click", () => this.reset());
    // A "fix the view" challenge (challenge.js) asks for a run with its check, by event.
    this.root.addEventListener("runnable-check", (event) => (event.detail.accepted = this.run(event.detail.check)));
    // Intent (pointer or focus on the block) starts Python in the worker, off the main
    // thread. The editor, which does cost the main thread, mounts only when the reader
    // reaches into the code itself.
    this.root.addEventListener("pointerenter", () => preload(), { once: true });
    this.root.addEventListener("focusin", () => preload(), { once: true });
    this.codeHost.addEventListener("pointerdown", () => this.mountEditor(true), { once: true });
    this.codeHost.addEventListener("focusin", () => this.mountEditor(), { once: true });
    this.root.addEventListener("keydown", (event) => {
      // The editor handles its own Ctrl/Cmd+Enter (and marks the event handled).
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
        event.preventDefault();
        this.run();
      }
    });
    if (this.saved() !== null) this.mountEditor();
  }

  saved() {
    try {
      return localStorage.getItem(this.storageKey);
    } catch {
      return null; // Storage can be disabled; edits then last until the page closes.
    }
  }

  save(code) {
    if (this.shared) this.shared.edited = true; // now the reader's own edit, saved as such
    try {
      if (code === this.original) localStorage.removeItem(this.storageKey);
      else localStorage.setItem(this.storageKey, code);
    } catch {}
    this.showEdited(code !== this.original);
  }

  showEdited(edited) {
    this.root.classList.toggle("runnable-edited", edited);
    this.editedNote.textContent = edited ? this.t.edited : "";
  }

  mountEditor(focus = false) {
    if (!this.editorReady) {
      this.editorReady = import("./editor.js").then(async ({ createEditor }) => {
        // Let the browser breathe between evaluating the editor chunk and building the
        // editor, so neither makes one long task on the main thread.
        await new Promise((resolve) => setTimeout(resolve));
        const code = this.shared?.code ?? this.saved() ?? this.original;
        const host = html("div", { class: "runnable-editor" });
        const hadFocus = this.codeHost.contains(document.activeElement);
        this.codeHost.replaceChildren(host);
        this.editor = createEditor(host, code, {
          label: this.t.codeLabel(this.snippet),
          describedBy: this.editedNote.id,
          onRun: () => this.run(),
          onChange: (text) => this.quiet || this.save(text),
        });
        this.showEdited(!this.shared && code !== this.original);
        if (focus || hadFocus) this.editor.focus(); // What had the pointer or focus is gone.
      });
    }
    return this.editorReady;
  }

  code() {
    return this.editor ? this.editor.get() : this.shared?.code ?? this.saved() ?? this.original;
  }

  /** Show `code` from a share link; kept in memory, it is saved only once the reader edits it. */
  showShared(code, leave) {
    this.shared = { code, leave, edited: false };
    this.showCode(code);
    this.showEdited(false);
  }

  /** Back to the page as it was before the link: its code, or the reader's own earlier edit. */
  leaveShared() {
    const { leave, edited } = this.shared;
    this.shared = null;
    if (edited) this.save(this.original); // an edit of the shared code goes with it
    this.showCode(this.saved() ?? this.original);
    this.showEdited(this.saved() !== null);
    leave();
  }

  showCode(code) {
    if (this.editor) {
      this.quiet = true; // not the reader's edit: nothing to save
      this.editor.set(code);
      this.quiet = false;
      return;
    }
    // Before the editor mounts, the page's highlighted code comes back as it was.
    this.pageCode ??= this.codeHost.querySelector("code");
    const shown = code === this.original ? this.pageCode : html("code", {}, code);
    this.codeHost.querySelector("code").replaceWith(shown);
  }

  setStatus(text, state) {
    this.status.textContent = text;
    this.root.dataset.state = state;
  }

  /** Run the code, with a challenge's check if given; false if a run is already going. */
  run(check = null) {
    // Ctrl/Cmd+Enter reaches here while the Run button is disabled: one run at a time.
    if (this.running) return false;
    this.running = true;
    this.check = check;
    const t = this.t;
    this.output.hidden = false;
    this.clearOutput();
    this.stopButton.disabled = false;
    this.swapFocus(this.runButton, this.stopButton); // A disabled button would drop the focus.
    this.runButton.disabled = true;
    this.setStatus(t.loading, "loading");
    runCode(this.code(), { session: this.session, check, awaitTree: this.awaitTree }, (message) => this.onMessage(message));
    return true;
  }

  onMessage(message) {
    const t = this.t;
    if (message.type === MESSAGE.status) this.setStatus(t.loadingPackages, "loading");
    else if (message.type === MESSAGE.started) this.setStatus(t.running, "running");
    else if (message.type === MESSAGE.output) {
      for (let start = 0; start < message.text.length; start += FRAME_CHARS) {
        const piece = message.text.slice(start, start + FRAME_CHARS);
        this.later(piece.length, () => this.append(piece, message.stream));
      }
    } else if (message.type === MESSAGE.lab) {
      this.later(0, () => import("./lab.js").then(({ renderResult }) => renderResult(this.charts, message.data)));
    } else if (message.type === MESSAGE.tasks) {
      // At once, not a frame later: the panel times the gaps between the trees.
      (this.treeChunk ??= import("./await-tree.js")).then(({ showTasks }) => showTasks(this.charts, this.root, message.tree));
    } else if (message.type === MESSAGE.done) this.later(0, () => this.finish(message));
  }

  /** Do `task` (writing `chars` of output) in order, after what came before, frame by frame. */
  later(chars, task) {
    this.queue.push([chars, task]);
    if (this.queue.length === 1) this.frame = requestAnimationFrame(() => this.drain());
  }

  drain(all = false) {
    // A hidden page draws no frames: it lays nothing out either, so it can take it all.
    let budget = all || document.hidden ? Infinity : FRAME_CHARS;
    while (this.queue.length && (budget > 0 || this.queue[0][0] === 0)) {
      const [chars, task] = this.queue.shift();
      budget -= chars;
      task();
    }
    if (this.queue.length) this.frame = requestAnimationFrame(() => this.drain());
  }

  clearOutput() {
    cancelAnimationFrame(this.frame);
    this.queue = [];
    this.output.replaceChildren();
    this.charts.replaceChildren();
  }

  // The worker caps a run's output (pyrunner's output limit), so the DOM stays small: no
  // second cap here. Text only, never markup: textContent and text nodes. Output goes in
  // chunks of about CHUNK_CHARS that end at a line's end, each laid out on its own
  // (runnable.css): a flood of lines never makes the browser lay all of them out again.
  append(text, stream) {
    for (let start = 0; start < text.length; ) {
      const chunk = this.openChunk();
      let end = text.length;
      const room = Math.max(CHUNK_CHARS - chunk.size, 1);
      if (end - start > room) {
        // At a line's end if one is near; a very long line is cut (it shows a wrap there).
        const newline = text.indexOf("\n", start + room - 1);
        end = newline !== -1 && newline < start + room + CHUNK_CHARS ? newline + 1 : start + room;
      }
      const piece = text.slice(start, end);
      const last = chunk.lastElementChild;
      if (last && last.dataset.stream === stream) last.append(piece);
      else chunk.append(html("span", { class: `runnable-${stream}`, "data-stream": stream }, piece));
      chunk.size += piece.length;
      chunk.full = chunk.size >= CHUNK_CHARS;
      start = end;
    }
  }

  openChunk() {
    const last = this.output.lastElementChild;
    if (last?.classList.contains("runnable-chunk") && !last.full) return last;
    return this.output.appendChild(Object.assign(html("span", { class: "runnable-chunk" }), { size: 0 }));
  }

  notice(text) {
    this.output.append(html("span", { class: "runnable-notice" }, `\n${text}\n`));
  }

  finish({ status, error, elapsed_ms, output_limit, unavailable, cause, verdict }) {
    const t = this.t;
    this.running = false;
    if (this.check) this.root.dispatchEvent(new CustomEvent("runnable-verdict", { detail: { status, verdict } }));
    this.runButton.disabled = false;
    this.swapFocus(this.stopButton, this.runButton);
    this.stopButton.disabled = true;
    if (status === RUN_STATUS.crashed) {
      const why = error ? ` (${error.slice(0, MAX_DETAIL_CHARS)})` : "";
      this.notice(t.crashed[cause](why, Math.round(LOAD_STALL_MS / 1000)));
      this.setStatus(t.restarted, "error");
    } else if (error) this.append(error, "stderr");
    if (unavailable === UNAVAILABLE.input) this.notice(t.inputUnavailable);
    else if (unavailable === UNAVAILABLE.stdlib) this.notice(t.stdlibUnavailable);
    if (status === RUN_STATUS.ok) this.setStatus(t.done(Math.round(elapsed_ms)), "done");
    else if (status === RUN_STATUS.stopped) this.setStatus(t.stopped, "stopped");
    else if (status === RUN_STATUS.outputLimit) {
      this.notice(t.outputLimit(output_limit));
      this.setStatus(t.stopped, "stopped");
    } else if (status !== RUN_STATUS.crashed) this.setStatus(t.error, "error");
    if (this.output.childNodes.length === 0) this.output.hidden = true;
  }

  swapFocus(from, to) {
    if (document.activeElement === from) to.focus();
  }

  reset() {
    if (this.running) {
      stopAll(); // Reset while running ends the run first, as Stop does, at once.
      this.drain(true);
    }
    if (this.shared) this.leaveShared();
    else {
      try {
        localStorage.removeItem(this.storageKey);
      } catch {}
      this.showEdited(false);
      if (this.editor) this.editor.set(this.original);
    }
    this.clearOutput();
    this.output.hidden = true;
    this.setStatus("", "idle");
  }
}

const mounted = new WeakSet(); // Blocks already made runnable: a page may mount again.

function mount(root = document) {
  for (const block of root.querySelectorAll(".runnable-block[data-snippet]")) {
    if (!mounted.has(block)) new RunnableBlock(block);
    mounted.add(block);
  }
  if (root.querySelector(".lab[data-lab]")) import("./lab.js").then(({ mountLabs }) => mountLabs(root));
  if (root.querySelector("form.challenge, .challenge-progress")) import("./challenge.js").then(({ mountChallenges }) => mountChallenges(root));
  if (root.querySelector(".decision-guide")) import("./decide.js").then(({ mountDecisionGuides }) => mountDecisionGuides(root));
  openLinks();
}

// Material's instant navigation re-renders pages through document$; plain loads do not.
if (window.document$) window.document$.subscribe(() => mount());
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mount());
else mount();
