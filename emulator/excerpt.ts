// Short excerpts of what a client sent, for error messages: enough to recognise the value, never the
// megabytes a request may carry, and built without recursion, so that no nesting depth can overflow
// the stack while an error is being worded.

/** The text, cut to `max` characters with `…` when longer. */
export function excerpt(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

interface Frame {
  /** The remaining members: `[key, value]` of an object, `[undefined, value]` of an array. */
  members: Iterator<[string | undefined, unknown]>;
  close: string;
  first: boolean;
}

/** A parsed JSON value written as JSON, cut to about `max` characters with `…`. */
export function jsonExcerpt(value: unknown, max = 64): string {
  let text = '';
  const frames: Frame[] = [];
  let pending: { value: unknown } | undefined = { value };
  while (text.length <= max) {
    if (pending) {
      const current = pending.value;
      pending = undefined;
      if (Array.isArray(current)) {
        text += '[';
        frames.push({ members: arrayMembers(current), close: ']', first: true });
      } else if (typeof current === 'object' && current !== null) {
        text += '{';
        frames.push({ members: objectMembers(current as Record<string, unknown>), close: '}', first: true });
      } else {
        text += scalarJson(current, max - text.length);
      }
      continue;
    }
    const frame = frames[frames.length - 1];
    if (!frame) break;
    const next = frame.members.next();
    if (next.done) {
      text += frame.close;
      frames.pop();
      continue;
    }
    const [key, member] = next.value;
    text += `${frame.first ? '' : ','}${key === undefined ? '' : `${JSON.stringify(excerpt(key, max))}:`}`;
    frame.first = false;
    pending = { value: member };
  }
  return excerpt(text, max);
}

function* arrayMembers(array: unknown[]): Iterator<[undefined, unknown]> {
  for (const item of array) yield [undefined, item];
}

function* objectMembers(object: Record<string, unknown>): Iterator<[string, unknown]> {
  for (const key in object) if (Object.hasOwn(object, key)) yield [key, object[key]];
}

function scalarJson(value: unknown, room: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > room ? value.slice(0, Math.max(room, 0) + 1) : value);
  return JSON.stringify(value) ?? String(value);
}
