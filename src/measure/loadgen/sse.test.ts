import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse.js';

const parse = (pieces: string[]): { events: SseEvent[]; parser: SseParser } => {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const p of pieces) parser.feed(p);
  return { events, parser };
};

describe('SseParser', () => {
  it('dispatches one event per blank line, dropping one space after the colon', () => {
    const { events } = parse(['data: {"a":1}\n\ndata:{"b":2}\n\n']);
    expect(events.map((e) => e.data)).toEqual(['{"a":1}', '{"b":2}']);
    expect(events[0]!.event).toBe('message');
  });

  it('joins multi-line data with LF and keeps the event name and id', () => {
    const { events } = parse(['event: delta\nid: 7\ndata: one\ndata: two\n\n']);
    expect(events).toEqual([{ event: 'delta', data: 'one\ntwo', id: '7' }]);
  });

  it('accepts CRLF and CR line ends, also split across pieces', () => {
    const { events } = parse(['data: x\r', '\n\r', '\ndata: y\r\r']);
    expect(events.map((e) => e.data)).toEqual(['x', 'y']);
  });

  it('reassembles a line split at any point', () => {
    const text = 'data: {"choices":[{"text":"hello"}]}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(events.map((e) => e.data)).toEqual(['{"choices":[{"text":"hello"}]}']);
    }
  });

  it('ignores comments and counts unknown fields', () => {
    const { events, parser } = parse([': keep-alive\nfoo: bar\ndata: z\n\n']);
    expect(events.map((e) => e.data)).toEqual(['z']);
    expect(parser.unknownFieldLines).toBe(1);
  });

  it('discards an event not terminated by a blank line and says so', () => {
    const { events, parser } = parse(['data: a\n\ndata: b\n']);
    expect(events.map((e) => e.data)).toEqual(['a']);
    expect(parser.pendingData()).toBe(true);
  });

  it('skips a leading byte-order mark', () => {
    expect(parse(['\ufeffdata: q\n\n']).events.map((e) => e.data)).toEqual(['q']);
  });
});
