// A streaming answer rendered incrementally: markdown blocks that can no longer change (everything
// before the last blank line outside a code fence) are rendered once and kept; only the open tail is
// rendered again each frame. Re-rendering the whole growing answer every frame costs time in its
// length, which a long fast stream cannot afford (bench/chatStream.ts). The tail is rendered without
// highlighting: a code block is highlighted once, when it closes and joins the kept part, not on
// every frame it grows. When the answer ends, the
// whole text is rendered once more (renderTurn), so a construct split at a blank line (a reference
// link, a loose list) ends up exactly as markdown-it renders the whole.

/** Where the text after `from` can be cut: just after its last blank line outside a fence; `from` if none. */
export function stableBoundary(text: string, from: number): number {
  let boundary = from;
  let fence: string | undefined;
  let at = from;
  let previousBlank = false;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    if (newline < 0) break; // the last line is not whole yet
    const line = text.slice(at, newline);
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    const blank = line.trim() === '';
    // A blank line closes the block before it, unless the next block could continue it (indented code).
    if (fence === undefined && blank && !previousBlank) boundary = newline + 1;
    previousBlank = blank;
    at = newline + 1;
  }
  return boundary;
}

/** An answer's body, growing: a kept part and a tail re-rendered by `render`. */
export class IncrementalAnswer {
  private text = '';
  private stableEnd = 0;
  private readonly stable: HTMLElement;
  private readonly tail: HTMLElement;

  constructor(
    readonly body: HTMLElement,
    /** Renders markdown into sanitised nodes, with the code tools added (code highlighted unless `highlight: false`). */
    private readonly render: (markdown: string, options?: { highlight?: boolean }) => DocumentFragment,
    initial = '',
  ) {
    this.stable = document.createElement('div');
    this.tail = document.createElement('div');
    this.stable.className = 'stable';
    this.tail.className = 'tail';
    body.replaceChildren(this.stable, this.tail);
    this.text = initial;
  }

  get value(): string {
    return this.text;
  }

  append(text: string): void {
    this.text += text;
  }

  /** Brings the page up to the text: newly closed blocks appended once, the tail rendered again. */
  update(): void {
    const boundary = stableBoundary(this.text, this.stableEnd);
    if (boundary > this.stableEnd) {
      this.stable.append(this.render(this.text.slice(this.stableEnd, boundary)));
      this.stableEnd = boundary;
    }
    this.tail.replaceChildren(this.render(this.text.slice(this.stableEnd), { highlight: false }));
  }
}
