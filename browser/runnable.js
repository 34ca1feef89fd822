// Page script: turns every `.runnable[data-snippet]` code block into an editable,
// runnable demo. Nothing heavy loads until the reader shows intent (pointer or focus
// on a block, or Run): then the Python worker starts loading; the editor chunk loads when
// the reader reaches into the code.
import { strings } from "./i18n.js";
import { preload, runCode, stopAll } from "./python-worker-client.js";

const STORAGE_PREFIX = "wsgi-hay-asgi:snippet:";
const MAX_RENDERED_CHARS = 400_000; // The DOM stays small even if output is huge.

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

class RunnableBlock {
  constructor(source) {
    this.t = strings();
    this.snippet = source.dataset.snippet;
    this.session = source.dataset.session || "";
    this.original = source.querySelector("code").textContent.replace(/\n$/, "");
    this.storageKey = STORAGE_PREFIX + this.snippet;
    this.editor = null;
    this.runId = null;
    this.render(source);
  }

  render(source) {
    const t = this.t;
    this.root = element("div", { class: "runnable-block", "data-snippet": this.snippet });
    source.replaceWith(this.root);
    this.codeHost = element("div", { class: "runnable-code" });
    this.codeHost.append(source);
    const toolbar = element("div", { class: "runnable-toolbar" });
    this.runButton = element("button", { type: "button", class: "md-button md-button--primary runnable-run", "aria-keyshortcuts": "Control+Enter Meta+Enter" }, t.run);
    this.stopButton = element("button", { type: "button", class: "md-button runnable-stop", disabled: "" }, t.stop);
    this.resetButton = element("button", { type: "button", class: "md-button runnable-reset" }, t.reset);
    this.status = element("span", { class: "runnable-status", role: "status" });
    toolbar.append(this.runButton, this.stopButton, this.resetButton, this.status);
    this.hint = element("p", { class: "runnable-hint" }, t.hint);
    this.output = element("pre", { class: "runnable-output", role: "log", "aria-live": "polite", "aria-label": t.output, hidden: "" });
    this.charts = element("div", { class: "runnable-charts" });
    this.root.append(this.codeHost, toolbar, this.hint, this.output, this.charts);

    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => stopAll());
    this.resetButton.addEventListener("click", () => this.reset());
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
    try {
      if (code === this.original) localStorage.removeItem(this.storageKey);
      else localStorage.setItem(this.storageKey, code);
    } catch {}
    this.root.classList.toggle("runnable-edited", code !== this.original);
  }

  mountEditor(focus = false) {
    if (!this.editorReady) {
      this.editorReady = import("./editor.js").then(async ({ createEditor }) => {
        // Let the browser breathe between evaluating the editor chunk and building the
        // editor, so neither makes one long task on the main thread.
        await new Promise((resolve) => setTimeout(resolve));
        const code = this.saved() ?? this.original;
        const host = element("div", { class: "runnable-editor" });
        const hadFocus = this.codeHost.contains(document.activeElement);
        this.codeHost.replaceChildren(host);
        this.editor = createEditor(host, code, {
          label: this.t.codeLabel(this.snippet),
          onRun: () => this.run(),
          onChange: (text) => this.save(text),
        });
        this.root.classList.toggle("runnable-edited", code !== this.original);
        if (focus || hadFocus) this.editor.focus(); // What had the pointer or focus is gone.
      });
    }
    return this.editorReady;
  }

  code() {
    return this.editor ? this.editor.get() : this.saved() ?? this.original;
  }

  setStatus(text, state) {
    this.status.textContent = text;
    this.root.dataset.state = state;
  }

  async run() {
    preload();
    const t = this.t;
    this.output.hidden = false;
    this.output.replaceChildren();
    this.charts.replaceChildren();
    this.rendered = 0;
    this.stopButton.disabled = false;
    this.swapFocus(this.runButton, this.stopButton); // A disabled button would drop the focus.
    this.runButton.disabled = true;
    this.setStatus(t.loading, "loading");
    await runCode(this.code(), { session: this.session }, (message) => this.onMessage(message));
  }

  onMessage(message) {
    const t = this.t;
    if (message.type === "status") this.setStatus(t.loadingPackages, "loading");
    else if (message.type === "started") this.setStatus(t.running, "running");
    else if (message.type === "output") {
      this.append(message.text, message.stream);
    } else if (message.type === "lab") {
      import("./lab.js").then(({ renderResult }) => renderResult(this.charts, message.data));
    } else if (message.type === "done") this.finish(message);
  }

  append(text, stream) {
    if (this.rendered > MAX_RENDERED_CHARS) return;
    this.rendered += text.length;
    const last = this.output.lastElementChild;
    if (last && last.dataset.stream === stream) last.append(text);
    else this.output.append(element("span", { class: `runnable-${stream}`, "data-stream": stream }, text));
  }

  finish({ status, error, elapsed_ms }) {
    const t = this.t;
    this.runButton.disabled = false;
    this.swapFocus(this.stopButton, this.runButton);
    this.stopButton.disabled = true;
    if (error) this.append(error, "stderr");
    if (status === "ok") this.setStatus(t.done(Math.round(elapsed_ms)), "done");
    else if (status === "stopped") this.setStatus(t.stopped, "stopped");
    else if (status === "output-limit") {
      this.output.append(element("span", { class: "runnable-notice" }, `\n${t.outputLimit}\n`));
      this.setStatus(t.stopped, "stopped");
    } else if (status === "crashed") {
      this.output.append(element("span", { class: "runnable-notice" }, `\n${t.crashed}\n`));
      this.setStatus(t.error, "error");
    } else this.setStatus(t.error, "error");
    if (this.output.childNodes.length === 0) this.output.hidden = true;
  }

  swapFocus(from, to) {
    if (document.activeElement === from) to.focus();
  }

  reset() {
    try {
      localStorage.removeItem(this.storageKey);
    } catch {}
    this.root.classList.remove("runnable-edited");
    if (this.editor) this.editor.set(this.original);
    this.output.replaceChildren();
    this.output.hidden = true;
    this.charts.replaceChildren();
    this.setStatus("", "idle");
  }
}

function mount(root = document) {
  for (const source of root.querySelectorAll(".runnable[data-snippet]")) {
    if (!source.closest(".runnable-block")) new RunnableBlock(source);
  }
  if (root.querySelector(".lab[data-lab]")) import("./lab.js").then(({ mountLabs }) => mountLabs(root));
  if (root.querySelector(".decision-guide")) import("./decide.js").then(({ mountDecisionGuides }) => mountDecisionGuides(root));
}

// Material's instant navigation re-renders pages through document$; plain loads do not.
if (window.document$) window.document$.subscribe(() => mount());
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mount());
else mount();
