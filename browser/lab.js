// The interactive server lab: controls for one or two setups, simulated by `serverlab`
// in the Python worker, drawn by lab-chart.js. Loaded only on pages that have a lab.
// Every control, limit, default and label comes from the lab's vocabulary (labSchema).
import { html } from "./dom.js";
import { pageLanguage } from "./lang.js";
import { renderResult } from "./lab-chart.js";
import {
  DATABASE_VIEWS,
  fill,
  fixedValue,
  labSchema,
  labStrings,
  localized,
  serverOption,
  setupLabel,
  takes,
} from "./lab-strings.js";
import { preload, simulate } from "./python-worker-client.js";
import { SHARE_KIND, shareButton } from "./share-control.js";

export { renderResult };

const CONTROLS = labSchema.parameters.filter((parameter) => parameter.control);
const PARAMETERS = new Set(labSchema.parameters.map((parameter) => parameter.name));
const CHOICE_LABELS = new Map([...labSchema.servers, ...labSchema.views].map((c) => [c.name, c.label]));
// Each fieldset's preset settings that have no control (rate_rps, dispatch, ...).
const PRESET_SETTINGS = new WeakMap();
let labCount = 0;

function choiceControl(parameter) {
  const select = html("select");
  for (const choice of parameter.choices) {
    const label = CHOICE_LABELS.get(choice);
    select.append(html("option", label ? { value: choice, title: localized(label) } : { value: choice }, choice));
  }
  return select;
}

function numberControl(parameter) {
  const whole = parameter.step !== null;
  return html("input", {
    type: "number",
    min: parameter.min,
    max: parameter.max,
    step: whole ? parameter.step : "any",
    inputmode: whole ? "numeric" : "decimal",
  });
}

/** The label of a field for `server`: the lab's name, then the server's own option if any. */
function fieldName(parameter, server) {
  const option = serverOption(server, parameter.name);
  return option ? `${localized(parameter.label)} (${option})` : localized(parameter.label);
}

/** What a field's note says for this server and view: why it is fixed, or where it acts. */
function fieldNote(parameter, server, view, t) {
  if (!takes(server, parameter.name)) return parameter.hint ? localized(parameter.hint) : "";
  if (parameter.database && !DATABASE_VIEWS.includes(view)) return t.databaseOnly(DATABASE_VIEWS.join(", "));
  return "";
}

/** Each control's label and help in the vocabulary's words, folded away under the form. */
function fieldHelp(t) {
  const details = html("details", { class: "lab-help" });
  details.append(html("summary", {}, t.fieldHelp));
  const list = html("dl");
  for (const parameter of CONTROLS) {
    list.append(html("dt", {}, localized(parameter.label)), html("dd", {}, localized(parameter.help)));
  }
  details.append(list);
  return details;
}

function setupControls(setup, index, id) {
  const t = labStrings();
  const fieldset = html("fieldset", { class: "lab-controls" });
  fieldset.append(html("legend", {}, fill(localized(labSchema.labels.setup_n), { n: index + 1 })));
  // A preset's finer settings (no control of their own) go with every run of this setup.
  const finer = Object.entries(setup).filter(([name]) => !CONTROLS.some((p) => p.name === name));
  PRESET_SETTINGS.set(fieldset, Object.fromEntries(finer));
  const fields = CONTROLS.map((parameter) => {
    const control = parameter.choices.length ? choiceControl(parameter) : numberControl(parameter);
    control.id = `${id}-${index}-${parameter.name}`;
    control.name = parameter.name;
    control.value = setup[parameter.name] ?? parameter.default;
    const name = html("span", { class: "lab-field-name" });
    const label = html("label", { for: control.id });
    label.append(name, control);
    const note = html("small", { class: "lab-note", id: `${control.id}-note`, hidden: "" });
    control.setAttribute("aria-describedby", note.id);
    const field = html("div", { class: "lab-field" });
    field.append(label, note);
    fieldset.append(field);
    return { parameter, control, name, note };
  });
  const server = fieldset.querySelector("[name=server]");
  const view = fieldset.querySelector("[name=view]");
  // A server without an option for a parameter runs with a fixed value, which the model
  // would refuse to change; the reader's own value comes back with a server that takes it.
  const sync = () => {
    for (const { parameter, control, name, note } of fields) {
      const taken = takes(server.value, parameter.name);
      if (!taken && !control.disabled) control.dataset.readerValue = control.value;
      if (taken && control.disabled) control.value = control.dataset.readerValue;
      control.disabled = !taken;
      if (!taken) control.value = fixedValue(server.value, parameter.name);
      name.textContent = fieldName(parameter, server.value);
      note.textContent = fieldNote(parameter, server.value, view.value, t);
      note.hidden = !note.textContent;
    }
  };
  server.addEventListener("change", sync);
  view.addEventListener("change", sync);
  sync();
  return fieldset;
}

function readSetup(fieldset) {
  const server = fieldset.querySelector("[name=server]").value;
  const preset = Object.entries(PRESET_SETTINGS.get(fieldset)).filter(([name]) => takes(server, name));
  const setup = Object.fromEntries(preset);
  for (const control of fieldset.querySelectorAll("select, input")) {
    setup[control.name] = control.type === "number" ? Number(control.value) : control.value;
  }
  return setup;
}

/** Whether a number input's value is within its min, max and step (the schema's limits). */
function inRange(input) {
  const value = Number(input.value);
  const [min, max] = [Number(input.min), Number(input.max)];
  const onStep = input.step === "any" || Number.isInteger((value - min) / Number(input.step));
  return input.value.trim() !== "" && Number.isFinite(value) && value >= min && value <= max && onStep;
}

/** The first out-of-range number, as [input, message], in the page's language; or null. */
function invalidField(fieldsets, t) {
  for (const fieldset of fieldsets) {
    for (const control of fieldset.querySelectorAll("select, input")) {
      const ok = control.type !== "number" || inRange(control);
      control.setAttribute("aria-invalid", String(!ok));
      if (!ok) {
        const label = localized(CONTROLS.find((p) => p.name === control.name).label);
        return [control, t.outOfRange(label, control.min, control.max, control.step !== "any")];
      }
    }
  }
  return null;
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
    this.fieldsets = this.preset.setups.map((setup, i) => setupControls(setup, i, this.id));
    if (this.preset.controls) form.append(...this.fieldsets, fieldHelp(t));
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
    bar.append(button, shareButton(SHARE_KIND.lab, this), this.status);
    form.append(bar);
    this.message = html("p", { class: "lab-error", role: "alert", hidden: "" });
    this.panels = html("div", { class: "lab-panels", "aria-live": "polite" });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.simulate();
    });
    // Below the build's picture, not above it: a lab already on screen when its form is
    // built keeps its picture where the reader sees it (no layout shift at load).
    this.root.append(form, this.message, this.panels);
    const intent = () => preload();
    this.root.addEventListener("pointerenter", intent, { once: true });
    this.root.addEventListener("focusin", intent, { once: true });
  }

  toggleCompare() {
    if (this.compareBox.checked) {
      const second = setupControls(readSetup(this.fieldsets[0]), 1, this.id);
      this.fieldsets.push(second);
      this.fieldsets[0].after(second);
    } else {
      this.fieldsets.pop().remove();
    }
  }

  /** The setups Simulate would send now (two with compare on): what a share link holds. */
  params() {
    return this.fieldsets.map(readSetup);
  }

  /** Put shared `setups` in the form, as they are: the checks come with Simulate. False if
   * the form cannot hold them (another number of setups, a parameter the lab has not). */
  setParams(setups) {
    const fits = setups.length === this.preset.setups.length || (this.compareBox && setups.length === 2);
    if (!fits || !setups.every((setup) => Object.keys(setup).every((name) => PARAMETERS.has(name)))) return false;
    const fresh = setups.map((setup, i) => setupControls(setup, i, this.id));
    this.fieldsets[0].before(...fresh);
    for (const old of this.fieldsets) old.remove();
    this.fieldsets = fresh;
    if (this.compareBox) this.compareBox.checked = fresh.length === 2;
    return true;
  }

  /** The page's own preset back in the form, and the build's picture instead of results. */
  restorePreset() {
    this.setParams(this.preset.setups);
    this.panels.replaceChildren();
    this.message.hidden = true;
    this.root.querySelector(".lab-static")?.removeAttribute("hidden");
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
      // A refusal remembers its setup, so that the field marked is in the right fieldset.
      const tagged = (index) => (error) => Promise.reject(Object.assign(error, { setupIndex: index }));
      const results = await Promise.all(setups.map((setup, i) => simulate(setup).catch(tagged(i))));
      this.panels.replaceChildren();
      this.root.querySelector(".lab-static")?.setAttribute("hidden", "");
      results.forEach((result, i) => renderResult(this.panels, result, setupLabel(setups[i])));
      this.status.textContent = "";
    } catch (error) {
      this.status.textContent = "";
      this.showModelError(error);
    }
  }

  /** A LabError as data (error.data is LabError.to_dict()): its message, its field marked. */
  showModelError(error) {
    const data = error.data ?? {};
    // The vocabulary writes each message in both languages; the page only picks its own.
    const reason = data.messages?.[pageLanguage()] ?? data.message ?? String(error.message || error);
    this.showError(`${this.t.labError}: ${reason}`);
    const control = data.field && this.fieldsets[error.setupIndex]?.querySelector(`[name=${data.field}]`);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.focus();
    }
  }

  showError(text) {
    this.message.textContent = text;
    this.message.hidden = false;
  }
}

// How near the screen a lab's form is built: its form costs main-thread work (a few hundred
// elements for the controls) that a reader at the top of a long page should not pay for at
// load; the build's picture and table stand there until then. Mermaid's shim does the same.
const NEAR_SCREEN = "800px 0px";
let observer = null;

function mount(node) {
  if (node.dataset.mounted) return;
  node.dataset.mounted = "true";
  new Lab(node);
}

/** Make the lab at `node` interactive now, wherever it is (a share link names it). */
export { mount as mountLab };

/** Make every lab in `root` interactive once it comes near the screen (at once if the
 * browser cannot tell). */
export function mountLabs(root = document) {
  const labs = [...root.querySelectorAll(".lab[data-lab]")].filter((node) => !node.dataset.mounted);
  if (!("IntersectionObserver" in window)) return labs.forEach(mount);
  // A new page (Material's instant navigation) replaces the old one's labs: watch only these.
  observer?.disconnect();
  observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries.filter((e) => e.isIntersecting)) {
        observer.unobserve(entry.target);
        mount(entry.target);
      }
    },
    { rootMargin: NEAR_SCREEN },
  );
  for (const node of labs) observer.observe(node);
}
