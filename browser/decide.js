/**
 * Decision guide: turns the written-out guide on the "decide" page into a stepper.
 *
 * Design: the page's own text is the only source of the guide. Without JavaScript the
 * reader sees every question with links to the next question or to an outcome; this
 * module reads that same markup, so the questions, answers and outcomes are written once
 * per language (in the Markdown) and never in this file. Only the few button labels of
 * the stepper itself come from the small UI table below, in the page's language.
 * tests/test_decide_logic.py parses the Markdown the same way and checks the graph.
 *
 * Markup contract (Markdown with md_in_html; ids are ASCII and equal in both languages):
 *
 *   <div class="decision-guide">
 *     <div class="decision-question" id="q-...">       first one in document order = start
 *       <p>Prompt</p>                                  first <p>: the question (the legend)
 *       <p>Hint</p> ...                                 optional <p>s before the list
 *       <ul>
 *         <li><strong>Yes</strong> ... <a href="#q-... | #outcome-...">...</a></li>
 *         <li><strong>No</strong> ... <a href="#...">...</a></li>
 *       </ul>                                          one <li> per answer, in order
 *     </div>
 *     <div class="decision-outcome" id="outcome-...">  shown as it is when reached
 *       ...any content: title, reason, command block...
 *     </div>
 *   </div>
 *
 * Each <li> holds exactly one <strong> (the answer label) and one link whose fragment
 * names a question or an outcome of the same guide. A guide whose markup breaks the
 * contract is left as static text (and gets a data-decision-error attribute).
 */
import { html } from "./dom.js";
import { pageLanguage } from "./lang.js";

const UI = {
  vi: {
    region: "Trình hỏi đáp chọn WSGI hay ASGI",
    step: "Câu hỏi {n}",
    result: "Gợi ý",
    back: "Quay lại",
    restart: "Làm lại từ đầu",
  },
  en: {
    region: "Step-by-step WSGI or ASGI guide",
    step: "Question {n}",
    result: "Recommendation",
    back: "Back",
    restart: "Start over",
  },
};

/**
 * The pure decision logic: follow `choices` (answer indexes) from the start question.
 *
 * graph = {start: "q-a", questions: {"q-a": ["outcome-x", "q-b"], ...}, outcomes: ["outcome-x", ...]}
 * Returns {type: "question" | "outcome", id, path} where path lists the questions passed.
 * Throws on an unknown node, an out-of-range choice or a loop.
 */
export function walk(graph, choices) {
  const outcomes = new Set(graph.outcomes);
  let id = graph.start;
  const path = [];
  for (const choice of choices) {
    const targets = graph.questions[id];
    if (!targets) throw new Error(`no question "${id}" to answer`);
    if (!(choice in targets)) throw new Error(`question "${id}" has no answer ${choice}`);
    path.push(id);
    id = targets[choice];
    if (path.includes(id)) throw new Error(`the guide loops back to "${id}"`);
    if (outcomes.has(id)) return { type: "outcome", id, path };
  }
  if (!graph.questions[id]) throw new Error(`"${id}" is neither a question nor an outcome`);
  return { type: "question", id, path };
}

/** Problems that make a graph unusable: dangling targets, loops, paths without an end. */
export function graphErrors(graph) {
  const errors = [];
  const outcomes = new Set(graph.outcomes);
  const visit = (id, seen) => {
    if (outcomes.has(id)) return;
    const targets = graph.questions[id];
    if (!targets) return void errors.push(`unknown target "${id}"`);
    if (seen.includes(id)) return void errors.push(`loop through "${id}"`);
    if (targets.length === 0) errors.push(`question "${id}" has no answers`);
    for (const target of targets) visit(target, [...seen, id]);
  };
  if (!graph.start) errors.push("no question");
  else visit(graph.start, []);
  return errors;
}

function directChildren(element, selector) {
  return [...element.children].filter((child) => child.matches(selector));
}

/** Read questions, answers and outcomes from the guide's static markup. */
function readGuide(container) {
  const questions = {};
  const texts = {};
  for (const question of container.querySelectorAll(".decision-question")) {
    const paragraphs = directChildren(question, "p");
    const items = directChildren(question, "ul").flatMap((list) => directChildren(list, "li"));
    const answers = items.map((item) => {
      const link = item.querySelector('a[href^="#"]');
      return {
        label: item.querySelector("strong")?.textContent.trim() ?? "",
        target: link ? decodeURIComponent(link.getAttribute("href").slice(1)) : "",
      };
    });
    questions[question.id] = answers.map((answer) => answer.target);
    texts[question.id] = {
      prompt: paragraphs[0]?.textContent.trim() ?? "",
      hints: paragraphs.slice(1),
      answers,
    };
  }
  const outcomeElements = [...container.querySelectorAll(".decision-outcome")];
  const graph = {
    start: container.querySelector(".decision-question")?.id ?? "",
    questions,
    outcomes: outcomeElements.map((element) => element.id),
  };
  const errors = graphErrors(graph);
  for (const [id, text] of Object.entries(texts)) {
    if (!id) errors.push("a question without an id");
    if (!text.prompt) errors.push(`question "${id}" has no prompt`);
    if (text.answers.some((answer) => !answer.label)) errors.push(`"${id}": answer without label`);
  }
  return { graph, texts, outcomeElements, errors };
}

let guideCount = 0;

function mountGuide(container) {
  const { graph, texts, outcomeElements, errors } = readGuide(container);
  if (errors.length) {
    container.dataset.decisionError = errors.join("; ");
    return;
  }
  const ui = UI[pageLanguage()];
  const number = ++guideCount;

  const stepper = html("section", { class: "dg-stepper", "aria-label": ui.region });
  const fieldset = html("fieldset", { class: "dg-question" });
  const legend = html("legend");
  const progress = html("span", { class: "dg-progress" });
  const prompt = html("span", { class: "dg-prompt" });
  legend.append(progress, prompt);
  const hint = html("div", { class: "dg-hint", id: `dg-${number}-hint` });
  const answers = html("div", { class: "dg-answers" });
  fieldset.append(legend, hint, answers);
  const result = html("div", {
    class: "dg-result",
    role: "region",
    "aria-live": "polite",
    "aria-label": ui.result,
    tabindex: "-1",
  });
  const nav = html("div", { class: "dg-nav" });
  const back = html("button", { type: "button", class: "dg-back" }, ui.back);
  const restart = html("button", { type: "button", class: "dg-restart" }, ui.restart);
  nav.append(back, restart);
  stepper.append(fieldset, result, nav);

  // The static questions stay in the page for no-JS readers; the outcomes move into the
  // live region so the very same elements (with their code blocks) become the result.
  for (const question of container.querySelectorAll(".decision-question")) {
    question.hidden = true;
  }
  for (const outcome of outcomeElements) {
    outcome.hidden = true;
    result.append(outcome);
  }
  container.append(stepper);
  container.classList.add("dg-enhanced");

  let choices = [];

  function render(moveFocus) {
    const state = walk(graph, choices);
    back.disabled = choices.length === 0;
    restart.disabled = choices.length === 0;
    for (const outcome of outcomeElements) outcome.hidden = outcome.id !== state.id;
    if (state.type === "outcome") {
      fieldset.hidden = true;
      if (moveFocus) result.focus();
      return;
    }
    const text = texts[state.id];
    fieldset.hidden = false;
    progress.textContent = ui.step.replace("{n}", String(choices.length + 1));
    prompt.textContent = text.prompt;
    hint.replaceChildren(...text.hints.map((paragraph) => paragraph.cloneNode(true)));
    hint.hidden = text.hints.length === 0;
    answers.replaceChildren(
      ...text.answers.map((answer, index) => {
        const button = html("button", { type: "button", class: "dg-answer" }, answer.label);
        if (text.hints.length) button.setAttribute("aria-describedby", hint.id);
        button.addEventListener("click", () => {
          choices = [...choices, index];
          render(true);
        });
        return button;
      }),
    );
    if (moveFocus) answers.querySelector("button").focus();
  }

  back.addEventListener("click", () => {
    choices = choices.slice(0, -1);
    render(true);
  });
  restart.addEventListener("click", () => {
    choices = [];
    render(true);
  });
  render(false);
}

/** Enhance every `.decision-guide` under `root`; calling it twice does nothing new. */
export function mountDecisionGuides(root = document) {
  for (const container of root.querySelectorAll(".decision-guide:not(.dg-enhanced)")) {
    mountGuide(container);
  }
}
