/**
 * The client-side tokenizer used to cross-check the server's `usage.completion_tokens`. The
 * project ships no model tokenizer (none can be downloaded here), so by default there is none
 * and the report says `not checked` rather than guessing. A caller with a tokenizer for the
 * served model (e.g. a binding to the model's `tokenizer.json`) passes it in.
 */
export interface ClientTokenizer {
  /** Names the tokenizer in the report, e.g. `llama-3.1 tokenizer.json`. */
  readonly name: string;
  /** Tokens in `text`, no special tokens added. */
  countTokens(text: string): number;
}

/**
 * A whitespace word counter: the exact tokenizer of the project's mock server and of
 * `serve-sim`, whose placeholder text is one word per token. It is *not* a model tokenizer.
 */
export const wordTokenizer: ClientTokenizer = {
  name: 'words (mock server: one word per token)',
  countTokens: (text) => {
    const t = text.trim();
    return t === '' ? 0 : t.split(/\s+/).length;
  },
};
