// The interactive server lab: controls for one or two setups, simulated by `serverlab`
// in the Python worker, drawn by lab-chart.js. Loaded only on pages that have a lab.
import { renderResult } from "./lab-chart.js";
import { labStrings } from "./lab-strings.js";
import { preload, simulate } from "./python-worker-client.js";

export { renderResult };

const SERVERS = ["gunicorn-sync", "gunicorn-gthread", "uvicorn"];
const VIEWS = ["sync-io", "async-io", "async-blocking", "sync-cpu", "async-cpu"];
const NUMBERS = [
  ["workers", 1, 64],
  ["threads", 1, 256],
  ["cores", 1, 64],
  ["requests", 1, 100000],
  ["ms", 0, 60000],
];
let labCount = 0;

function html(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== "") node.textContent = text;
  return node;
}

function setupControls(setup, index, t, id) {
  const fieldset = html("fieldset", { class: "lab-controls" });
  fieldset.append(html("legend", {}, t.setup(index + 1)));
  const field = (name, control) => {
    const label = html("label", { for: `${id}-${index}-${name}` }, t[name]);
    control.id = `${id}-${index}-${name}`;
    control.name = name;
    label.append(control);
    fieldset.append(label);
  };
  for (const [name, options] of [["server", SERVERS], ["view", VIEWS]]) {
    const select = html("select");
    for (const option of options) select.append(html("option", { value: option }, option));
    select.value = setup[name];
    field(name, select);
  }
  for (const [name, min, max] of NUMBERS) {
    const input = html("input", { type: "number", min, max, step: 1, inputmode: "numeric" });
    input.value = setup[name] ?? (name === "cores" ? 2 : 1);
    field(name, input);
  }
  // Only Gunicorn's gthread worker has a thread pool; the model refuses threads elsewhere.
  const server = fieldset.querySelector("[name=server]");
  const threads = fieldset.querySelector("[name=threads]");
  const syncThreads = () => {
    const gthread = server.value === "gunicorn-gthread";
    threads.disabled = !gthread;
    threads.title = gthread ? "" : t.threadsOnlyGthread;
    if (!gthread) threads.value = 1;
  };
  server.addEventListener("change", syncThreads);
  syncThreads();
  return fieldset;
}

function readSetup(fieldset) {
  const setup = {};
  for (const control of fieldset.querySelectorAll("select, input")) {
    setup[control.name] = control.type === "number" ? Number(control.value) : control.value;
  }
  return setup;
}

/** The first out-of-range number, as [input, message], in the page's language; or null. */
function invalidField(fieldsets, t) {
  for (const fieldset of fieldsets) {
    for (const [name, min, max] of NUMBERS) {
      const input = fieldset.querySelector(`[name=${name}]`);
      const value = Number(input.value);
      const ok = input.value.trim() !== "" && Number.isInteger(value) && value >= min && value <= max;
      input.setAttribute("aria-invalid", String(!ok));
      if (!ok) return [input, t.outOfRange(t[name], min, max)];
    }
  }
  return null;
}

function describeSetup(setup) {
  const threads = setup.server === "gunicorn-gthread" ? `×${setup.threads ?? 1}` : "";
  return `${setup.server} ${setup.workers ?? 1}${threads} · ${setup.view} · ${setup.requests} × ${setup.ms} ms`;
}

class Lab {
  constructor(root) {
    this.t = labStrings();
    this.root = root;
    this.id = `lab-${++labCount}`;
    this.preset = JSON.parse(root.dataset.lab);
    this.render();
  }

  render() {
    const t = this.t;
    // Our own range checks give a message in the page's language (not the browser's).
    const form = html("form", { class: "lab-form", novalidate: "" });
    this.fieldsets = this.preset.setups.map((setup, i) => setupControls(setup, i, t, this.id));
    if (this.preset.controls) form.append(...this.fieldsets);
    if (this.preset.controls && this.fieldsets.length === 1) {
      const compare = html("label", { class: "lab-compare" });
      this.compareBox = html("input", { type: "checkbox" });
      compare.append(this.compareBox, document.createTextNode(` ${t.compare}`));
      this.compareBox.addEventListener("change", () => this.toggleCompare());
      form.append(compare);
    }
    const button = html("button", { type: "submit", class: "md-button md-button--primary" }, t.simulate);
    this.status = html("span", { class: "runnable-status", role: "status" });
    const bar = html("div", { class: "runnable-toolbar" });
    bar.append(button, this.status);
    form.append(bar);
    this.message = html("p", { class: "lab-error", role: "alert", hidden: "" });
    this.panels = html("div", { class: "lab-panels", "aria-live": "polite" });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.simulate();
    });
    this.root.prepend(form);
    this.root.append(this.message, this.panels);
    const intent = () => preload();
    this.root.addEventListener("pointerenter", intent, { once: true });
    this.root.addEventListener("focusin", intent, { once: true });
  }

  toggleCompare() {
    if (this.compareBox.checked) {
      const second = setupControls(readSetup(this.fieldsets[0]), 1, this.t, this.id);
      this.fieldsets.push(second);
      this.fieldsets[0].after(second);
    } else {
      this.fieldsets.pop().remove();
    }
  }

  async simulate() {
    const t = this.t;
    const invalid = invalidField(this.fieldsets, t);
    if (invalid) {
      this.showError(invalid[1]);
      invalid[0].focus();
      return;
    }
    const setups = this.fieldsets.map(readSetup);
    this.status.textContent = t.running;
    this.message.hidden = true;
    try {
      const results = await Promise.all(setups.map((setup) => simulate(setup)));
      this.panels.replaceChildren();
      this.root.querySelector(".lab-static")?.setAttribute("hidden", "");
      results.forEach((result, i) => renderResult(this.panels, result, describeSetup(setups[i])));
      this.status.textContent = "";
    } catch (error) {
      this.status.textContent = "";
      const reason = String(error.message || error).replace(/^.*LabError: /s, "").trim();
      this.showError(`${t.labError}: ${reason}`);
    }
  }

  showError(text) {
    this.message.textContent = text;
    this.message.hidden = false;
  }
}

export function mountLabs(root = document) {
  for (const node of root.querySelectorAll(".lab[data-lab]")) {
    if (!node.dataset.mounted) {
      node.dataset.mounted = "true";
      new Lab(node);
    }
  }
}
