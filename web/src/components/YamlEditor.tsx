/**
 * CodeMirror 6 YAML editor. `lint` (optional) is called with the document after edits and returns
 * diagnostics shown in the gutter and under the text; without it, `gutter` still shows the marks
 * of diagnostics the owner sets (`setDiagnostics`). `onReady` hands out the EditorView.
 */
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';

export interface YamlEditorProps {
  /** The text; it replaces the document when `revision` changes (and at creation). */
  value: string;
  /**
   * Bumped by the owner when `value` is new text from outside (an example loaded), not an echo
   * of an edit: echoes lag behind fast typing, and replacing the document with one would drop
   * the keystrokes typed since.
   */
  revision?: number;
  onChange?: (text: string) => void;
  lint?: (doc: Text) => Promise<Diagnostic[]>;
  /** Show the lint gutter without a `lint` source (diagnostics set from outside). */
  gutter?: boolean;
  /** Wrap long lines (long comments) instead of scrolling sideways. */
  wrap?: boolean;
  onReady?: (view: EditorView) => void;
  height?: string;
  testid?: string;
}

export function YamlEditor({
  value,
  revision = 0,
  onChange,
  lint,
  gutter = false,
  wrap = false,
  onReady,
  height = '480px',
  testid,
}: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const cb = useRef({ onChange, lint });
  /** Set while the text is replaced from `value` (not an edit: onChange is not called). */
  const external = useRef(false);
  cb.current = { onChange, lint };

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      doc: value,
      parent: host.current,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.theme({ '&': { height }, '.cm-scroller': { overflow: 'auto' } }),
        ...(wrap ? [EditorView.lineWrapping] : []),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !external.current) cb.current.onChange?.(u.state.doc.toString());
        }),
        ...(lint
          ? [
              lintGutter(),
              linter((ev) => cb.current.lint?.(ev.state.doc) ?? Promise.resolve([]), {
                delay: 700,
              }),
            ]
          : gutter
            ? [lintGutter()]
            : []),
      ],
    });
    view.current = v;
    onReady?.(v);
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is created once; later props arrive through refs and the effect below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      external.current = true;
      try {
        v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
      } finally {
        external.current = false;
      }
    }
    // Only a new revision replaces the document (see `revision`).
  }, [revision]);

  return <div class="editor-wrap" ref={host} data-testid={testid} />;
}
