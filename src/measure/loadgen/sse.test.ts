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

describe('SseParser over bytes', () => {
  const stream = Buffer.from(
    '\ufeff: note\r\nevent: delta\r\nid: 7\r\ndata: {"text":"€ é 🙂"}\r\n\r\ndata: a\rdata: b\r\rdata\n\n',
  );
  const parseBytes = (pieces: Buffer[]): { events: SseEvent[]; parser: SseParser } => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    for (const p of pieces) parser.feedBytes(p);
    return { events, parser };
  };
  const expected = [
    { event: 'delta', data: '{"text":"€ é 🙂"}', id: '7' },
    { event: 'message', data: 'a\nb', id: '7' },
    { event: 'message', data: '', id: '7' },
  ];

  it('gives the events of the decoded text, whole or split at any byte (inside UTF-8 sequences, CRLF, BOM)', () => {
    expect(parse([stream.toString('utf8')]).events).toEqual(expected);
    expect(parseBytes([stream]).events).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++) {
      const { events, parser } = parseBytes([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(events).toEqual(expected);
      expect(parser.pendingData()).toBe(false);
    }
    const { events } = parseBytes([...stream].map((b) => Buffer.from([b])));
    expect(events).toEqual(expected);
  });

  it('reads plain Uint8Arrays and copies the tail it keeps', () => {
    const bytes = new TextEncoder().encode('data: x\n\ndata: y');
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.feedBytes(bytes);
    bytes.fill(0); // the caller reuses its buffer
    parser.feedBytes(new TextEncoder().encode('z\n\n'));
    expect(events.map((e) => e.data)).toEqual(['x', 'yz']);
  });

  it('keeps a CR at the end of a piece pending across empty pieces (CR, empty, LF is one line end)', () => {
    expect(parse(['data: x\r', '', '\ndata: y\n\n']).events.map((e) => e.data)).toEqual(['x\ny']);
  });

  it('joins a surrogate pair split across text pieces', () => {
    expect(parse(['data: \ud83d', '\ude42\n\n']).events.map((e) => e.data)).toEqual(['🙂']);
  });

  it('counts no pending data for a stream that is only (part of) a BOM', () => {
    const p = new SseParser(() => {});
    p.feedBytes(Buffer.from([0xef, 0xbb]));
    expect(p.pendingData()).toBe(false);
    p.feedBytes(Buffer.from([0xbf]));
    expect(p.pendingData()).toBe(false);
    p.feedBytes(Buffer.from('d'));
    expect(p.pendingData()).toBe(true);
  });
});
