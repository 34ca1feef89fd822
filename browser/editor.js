// The code editor of a runnable block: CodeMirror 6, loaded only when a reader shows
// intent to run code, so text pages never pay for it.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import {
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";

// Colours come from Material's own code variables, so both palettes just work.
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--md-code-hl-keyword-color)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--md-code-hl-string-color)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--md-code-hl-number-color)" },
  { tag: tags.comment, color: "var(--md-code-hl-comment-color)" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "var(--md-code-hl-function-color)" },
  { tag: [tags.definition(tags.variableName), tags.className], color: "var(--md-code-hl-name-color)" },
  { tag: [tags.operator, tags.punctuation], color: "var(--md-code-hl-punctuation-color)" },
  { tag: tags.standard(tags.variableName), color: "var(--md-code-hl-constant-color)" },
]);

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--md-code-bg-color)", color: "var(--md-code-fg-color)" },
  ".cm-content": { caretColor: "var(--md-code-fg-color)", fontFamily: "var(--md-code-font-family)" },
  // Line numbers in the colour of code comments, which site.css keeps readable (4.5:1).
  ".cm-gutters": { backgroundColor: "var(--md-code-bg-color)", color: "var(--md-code-hl-comment-color)", border: "none" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground": { backgroundColor: "var(--md-accent-fg-color--transparent)" },
});

/**
 * Replace `host`'s content by an editor holding `code`, named `label` and described by the
 * element whose id is `describedBy`; returns get/set helpers.
 */
export function createEditor(host, code, { label, describedBy, onRun, onChange }) {
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: code,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of("    "),
        python(),
        syntaxHighlighting(highlight),
        theme,
        keymap.of([
          { key: "Mod-Enter", run: () => (onRun(), true) },
          indentWithTab,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        // The editable content is already in the tab order; saying so with tabindex lets
        // checkers (axe: scrollable-region-focusable) see the scroller's focusable content.
        EditorView.contentAttributes.of({ "aria-label": label, "aria-describedby": describedBy, tabindex: "0" }),
        // A reader tabbing down the page must pass through, not get stuck indenting: Tab
        // moves focus until they type something; after that Tab indents, and Esc then
        // Tab leaves (CodeMirror's own escape hatch).
        EditorView.domEventHandlers({
          focus: (_, view) => view.setTabFocusMode(true),
          keydown: (event, view) => {
            if (!["Tab", "Shift", "Escape", "Control", "Meta", "Alt"].includes(event.key)) view.setTabFocusMode(false);
          },
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    get: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
