import { javascript } from "@codemirror/lang-javascript";
import { basicSetup, EditorView } from "codemirror";

/** The code editor: CodeMirror 6 with JavaScript, bundled by esbuild with the lab (no CDN: a classroom may be offline). */
export interface Editor {
  code(): string;
  setCode(code: string): void;
}

export function createEditor(parent: HTMLElement, onChange: (code: string) => void): Editor {
  const view = new EditorView({
    parent,
    extensions: [
      basicSetup,
      javascript(),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
  view.contentDOM.setAttribute("aria-label", "code");
  return {
    code: () => view.state.doc.toString(),
    setCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
  };
}
