// The await tree panel of a runnable block: the run's tasks and what each awaits, drawn
// from the tasks messages pyrunner.await_tree sends while the run goes. The page does the
// timing: a loop that sends nothing for a while is blocked, and the panel says so.
import { awaitTreeStrings } from "./await-tree-strings.js";
import { html } from "./dom.js";
import { TASK_STATE } from "./protocol.js";

// pyrunner samples several times within this (SAMPLE_SECONDS, pyrunner/await_tree.py) and
// sends even an unchanged tree (as null): so many missed samples are a blocked loop, not
// the jitter of a busy page.
const FROZEN_MS = 500;
let panelCount = 0;

class AwaitTreePanel {
  constructor(host, block) {
    const t = (this.t = awaitTreeStrings());
    this.block = block;
    const titleId = `await-tree-${++panelCount}`;
    this.root = html("section", { class: "await-tree-panel", "aria-labelledby": titleId });
    const title = html("p", { class: "await-tree-title", id: titleId }, t.title);
    const explain = html("p", { class: "await-tree-explain" }, t.explain);
    // Refreshed ten times a second: read on demand, never announced.
    this.list = html("ul", { class: "await-tree-list", "aria-live": "off" });
    this.more = html("p", { class: "await-tree-more" });
    this.note = html("p", { class: "await-tree-note" });
    this.status = html("p", { class: "await-tree-status", role: "status", "aria-live": "polite" });
    this.root.append(title, explain, this.list, this.more, this.note, this.status);
    host.append(this.root);
    this.heardAt = performance.now();
  }

  receive(tree) {
    const now = performance.now();
    clearTimeout(this.watch);
    if (this.frozen) {
      this.frozen = false;
      this.root.classList.remove("await-tree-panel--frozen");
      this.note.textContent = this.t.gap(now - this.heardAt);
      this.status.textContent = "";
    }
    this.heardAt = now;
    if (tree) this.draw(tree);
    if (tree?.final) this.status.textContent = this.t.finished;
    else this.watch = setTimeout(() => this.freeze(), FROZEN_MS);
  }

  freeze() {
    // Stopped or crashed: the run ended without a final tree, and runnable.js says so.
    if (!this.root.isConnected || this.block.dataset.state !== "running") return;
    this.frozen = true;
    this.root.classList.add("await-tree-panel--frozen");
    this.status.textContent = this.t.frozen;
  }

  draw({ tasks, more }) {
    this.list.replaceChildren(...(tasks.length ? tasks.map((task) => this.item(task)) : [html("li", {}, this.t.empty)]));
    this.more.textContent = more ? this.t.more(more) : "";
  }

  // Text only: every name and word from Python goes in as text, never as markup.
  item(task) {
    const t = this.t;
    const where = `${task.coroutine}()${task.line ? `, ${t.line(task.line)}` : ""}`;
    const what = task.state === TASK_STATE.pending ? t.awaits[task.awaits.kind](task.awaits) : t.state[task.state];
    const timeout = task.timeout !== undefined && task.state === TASK_STATE.pending ? `, ${t.timeout(task.timeout)}` : "";
    const item = html("li", { class: "await-tree-task", "data-state": task.state });
    item.append(html("code", {}, task.name), ` ${where}: ${what}${timeout}`);
    if (task.children.length) {
      const children = html("ul");
      children.append(...task.children.map((child) => this.item(child)));
      item.append(children);
    }
    return item;
  }
}

const panels = new WeakMap();

/** Show a tasks message's tree in `host`, the panel of the runnable block `block`. */
export function showTasks(host, block, tree) {
  let panel = panels.get(host);
  if (!panel?.root.isConnected) panels.set(host, (panel = new AwaitTreePanel(host, block)));
  panel.receive(tree);
}
