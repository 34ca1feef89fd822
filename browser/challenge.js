// Page module: makes each `form.challenge` the build wrote answerable, and fills in the
// home page's progress. The build writes the question, the inputs, the reasons for wrong
// choices and the collapsed answer (sitebuild/challenges.py); this adds Check, the
// feedback and "Show answer". A wrong answer never shows the right one: the answer block
// stays hidden until the reader asks for it, which they can only do after an attempt.
import { html } from "./dom.js";
import { pageLanguage } from "./lang.js";
import { challengeStrings } from "./challenge-strings.js";
import { markSolved, progressKept, solvedChallenges } from "./progress.js";
import { RUN_STATUS } from "./protocol.js";

let challengeCount = 0;

/** A copy of the build's nodes (a reason, the explanation, the section link) for the feedback. */
function copyOf(node) {
  const copy = node.cloneNode(true);
  copy.removeAttribute("hidden");
  copy.removeAttribute("id");
  for (const inner of copy.querySelectorAll("[id]")) inner.removeAttribute("id");
  return copy;
}

class Challenge {
  constructor(form) {
    this.t = challengeStrings();
    this.form = form;
    this.slug = form.dataset.challenge;
    this.answer = form.nextElementSibling?.matches(".challenge-answer") ? form.nextElementSibling : null;
    this.render();
  }

  render() {
    const t = this.t;
    const id = `challenge-feedback-${++challengeCount}`;
    this.feedback = html("div", { class: "challenge-feedback", id, "aria-live": "polite" });
    this.checkButton = html("button", { type: "submit", class: "md-button md-button--primary challenge-check" }, t.check);
    this.showButton = html("button", { type: "button", class: "md-button challenge-show", hidden: "" }, t.showAnswer);
    const bar = html("div", { class: "challenge-toolbar" });
    bar.append(this.checkButton, this.showButton);
    this.form.append(bar, this.feedback);
    // With JavaScript the answer waits for "Show answer"; without it, it is a closed <details>.
    if (this.answer) this.answer.hidden = true;
    if (solvedChallenges().has(this.slug)) this.markSolved(false);
    this.form.addEventListener("submit", (event) => {
      if (event.target !== this.form) return; // a form inside the answer (the lab's) is its own
      event.preventDefault();
      this.check();
    });
    this.showButton.addEventListener("click", () => this.showAnswer());
    // A choice changed after feedback: the old verdict no longer applies to it.
    this.form.addEventListener("change", () => this.form.removeAttribute("data-verdict"));
  }

  check() {
    const kind = this.form.dataset.kind;
    if (kind === "fix") return this.checkCode();
    const given = this.givenAnswer();
    if (given === null) return;
    this.verdict(given.right, given.reason);
  }

  /** The reader's answer as {right, reason}; null (with a prompt) when there is none yet. */
  givenAnswer() {
    const t = this.t;
    const number = this.form.querySelector("input[type=number]");
    if (number) {
      const value = Number(number.value);
      if (number.value.trim() === "" || !Number.isFinite(value)) return this.prompt(t.numberFirst, number);
      const expected = Number(this.form.dataset.answer);
      const tolerance = Number(this.form.dataset.tolerance) * expected;
      if (Math.abs(value - expected) <= tolerance) return { right: true };
      return { right: false, reason: document.createTextNode(value > expected ? t.tooHigh : t.tooLow) };
    }
    const chosen = this.form.querySelector("input[type=radio]:checked");
    if (!chosen) return this.prompt(t.chooseFirst, this.form.querySelector("input[type=radio]"));
    if (chosen.value === this.form.dataset.answer) return { right: true };
    const why = this.form.querySelector(`.challenge-why[data-choice="${chosen.value}"]`);
    return { right: false, reason: why ? copyOf(why) : null };
  }

  prompt(text, control) {
    this.feedback.replaceChildren(html("p", { class: "challenge-prompt" }, text));
    control?.focus();
    return null;
  }

  /** Run the reader's code in the worker with the challenge's check; the block answers. */
  checkCode() {
    const block = this.form.querySelector(".runnable-block");
    if (!block) return;
    this.checkButton.disabled = true;
    this.feedback.replaceChildren(html("p", { class: "challenge-prompt" }, this.t.checking));
    const request = { check: JSON.parse(this.form.dataset.check), accepted: false };
    block.dispatchEvent(new CustomEvent("runnable-check", { detail: request }));
    // A run is going already (the reader pressed Run): Check again once it ends.
    if (!request.accepted) {
      this.checkButton.disabled = false;
      this.feedback.replaceChildren();
      return;
    }
    block.addEventListener(
      "runnable-verdict",
      ({ detail }) => {
        this.checkButton.disabled = false;
        if (detail.status !== RUN_STATUS.ok || !detail.verdict) {
          this.feedback.replaceChildren(html("p", { class: "challenge-prompt" }, this.t.notRun));
          return;
        }
        const { passed, messages } = detail.verdict;
        this.verdict(passed, document.createTextNode(messages[pageLanguage()] ?? messages.en));
      },
      { once: true },
    );
  }

  /** Say right or wrong, with why, and a way on: the explanation, or the section to reread. */
  verdict(right, reason) {
    const t = this.t;
    this.form.dataset.verdict = right ? "right" : "wrong";
    const lead = html("p", { class: "challenge-verdict" });
    lead.append(html("strong", {}, right ? t.right : t.wrong));
    const parts = [lead];
    if (reason?.nodeType === Node.TEXT_NODE) lead.append(" ", reason);
    else if (reason) parts.push(reason);
    const explanation = this.answer?.querySelector(".challenge-explanation");
    const section = this.answer?.querySelector(".challenge-section a");
    if (right && explanation) parts.push(copyOf(explanation));
    if (section) {
      // Right: where it is taught, as the answer says it; wrong: a hint to reread it.
      const hint = right ? copyOf(section.parentElement) : html("p", { class: "challenge-hint" }, `${t.readAgain} `);
      if (!right) hint.append(copyOf(section));
      parts.push(hint);
    }
    this.feedback.replaceChildren(...parts);
    this.showButton.hidden = !this.answer;
    if (right) this.markSolved(true);
  }

  markSolved(now) {
    if (now) markSolved(this.slug);
    this.form.dataset.solved = "true";
    const legend = this.form.querySelector("legend");
    if (!legend.querySelector(".challenge-solved")) {
      legend.append(" ", html("span", { class: "challenge-solved" }, this.t.solvedBefore));
    }
  }

  showAnswer() {
    this.answer.hidden = false;
    this.answer.open = true;
    this.answer.querySelector("summary").focus();
  }
}

/** The home page's list: each chapter's count of challenges, and how many are solved. */
function fillProgress(list, t) {
  const solved = solvedChallenges();
  let done = 0;
  let total = 0;
  for (const item of list.querySelectorAll("li[data-challenges]")) {
    const slugs = JSON.parse(item.dataset.challenges);
    const mine = slugs.filter((slug) => solved.has(slug)).length;
    done += mine;
    total += slugs.length;
    item.querySelector(".challenge-progress-count")?.remove();
    item.append(html("span", { class: "challenge-progress-count" }, ` · ${t.solved(mine, slugs.length)}`));
  }
  list.parentElement.querySelector(".challenge-progress-total")?.remove();
  const summary = html("p", { class: "challenge-progress-total" }, t.total(done, total));
  if (!progressKept()) summary.append(" ", t.storageOff);
  list.before(summary);
}

/** Make every challenge in `root` answerable, and fill in any progress summary. */
export function mountChallenges(root = document) {
  for (const form of root.querySelectorAll("form.challenge:not([data-mounted])")) {
    form.dataset.mounted = "true";
    new Challenge(form);
  }
  for (const list of root.querySelectorAll(".challenge-progress")) fillProgress(list, challengeStrings());
}
