import { describe, expect, it } from 'vitest';
import { requestHead, ResponseParser, type ResponseHead } from './http1.js';

interface Parsed {
  heads: ResponseHead[];
  body: string;
  completed: number;
  errors: string[];
  parser: ResponseParser;
}

/** Feed `pieces` one by one (each as its own buffer) and record what the parser reports. */
function parse(pieces: readonly string[]): Parsed {
  const out: Omit<Parsed, 'parser'> = { heads: [], body: '', completed: 0, errors: [] };
  const parser = new ResponseParser({
    onHead: (h) => out.heads.push(h),
    onBody: (b, s, e) => (out.body += b.toString('latin1', s, e)),
    onComplete: () => out.completed++,
    onProtocolError: (reason) => out.errors.push(reason),
  });
  for (const p of pieces) {
    // Padding around the range: the parser must read only [start, end).
    const b = Buffer.from(`##${p}##`, 'latin1');
    parser.feed(b, 2, b.length - 2);
  }
  return { ...out, parser };
}

/** Every split of `text` into two pieces, and one byte at a time. */
function splits(text: string): string[][] {
  const all: string[][] = [[text], text.split('')];
  for (let k = 1; k < text.length; k++) all.push([text.slice(0, k), text.slice(k)]);
  return all;
}

const chunkedResponse =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '6\r\ndata: \r\nc;ext=1\r\n{"a":1}\n\nxxx\r\n0\r\nx-trailer: 1\r\n\r\n';

describe('ResponseParser', () => {
  it('reads a chunked body in any split of the bytes, extensions and trailers included', () => {
    for (const pieces of splits(chunkedResponse)) {
      const r = parse(pieces);
      expect(r.errors).toEqual([]);
      expect(r.heads).toEqual([{ status: 200, contentType: 'text/event-stream', keepAlive: true }]);
      expect(r.body).toBe('data: {"a":1}\n\nxxx');
      expect(r.completed).toBe(1);
    }
  });

  it('reads a content-length body and ignores what follows it', () => {
    const text = 'HTTP/1.1 500 Internal\r\ncontent-length: 5\r\n\r\nhelloEXTRA';
    for (const pieces of splits(text)) {
      const r = parse(pieces);
      expect(r.heads[0]).toEqual({ status: 500, contentType: '', keepAlive: true });
      expect([r.body, r.completed]).toEqual(['hello', 1]);
    }
  });

  it('a body without length or chunking is read to the close, and the connection is not reused', () => {
    const r = parse(['HTTP/1.0 200 OK\ncontent-type: text/event-stream\n\ndata: x\n\n', 'more']);
    expect(r.heads[0]).toEqual({ status: 200, contentType: 'text/event-stream', keepAlive: false });
    expect([r.body, r.completed, r.parser.endsAtClose]).toEqual(['data: x\n\nmore', 0, true]);
  });

  it('skips interim 1xx responses; 204 completes with no body; Connection: close ends reuse', () => {
    const r = parse([
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok',
    ]);
    expect(r.heads).toEqual([{ status: 200, contentType: '', keepAlive: false }]);
    expect([r.body, r.completed]).toEqual(['ok', 1]);
    const empty = parse(['HTTP/1.1 204 No Content\r\n\r\n']);
    expect([empty.heads[0]!.status, empty.body, empty.completed]).toEqual([204, '', 1]);
  });

  it('keeps the first content-type, as Node does', () => {
    const r = parse([
      'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nContent-Type: text/plain\r\ncontent-length: 0\r\n\r\n',
    ]);
    expect(r.heads[0]!.contentType).toBe('text/event-stream');
  });

  it('reports a malformed status line or chunk size once, and then stops', () => {
    expect(parse(['SSH-2.0-OpenSSH\r\n\r\n']).errors).toHaveLength(1);
    const bad = parse([
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n',
      'zz\r\nabc\r\n',
      '3\r\nabc\r\n',
    ]);
    expect([bad.errors, bad.body, bad.completed]).toEqual([['invalid chunk size'], '', 0]);
  });

  it('stop() silences the parser: no callback for the bytes that follow', () => {
    const r = parse(['HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nab']);
    r.parser.stop();
    r.parser.feed(Buffer.from('cd'), 0, 2);
    expect([r.body, r.completed]).toEqual(['ab', 0]);
  });
});

describe('requestHead', () => {
  it('writes the lines Node writes for our headers, then Host and Connection', () => {
    expect(
      requestHead({
        path: '/v1/completions',
        host: 'h:8000',
        contentLength: 12,
        authorization: 'Bearer k',
      }),
    ).toBe(
      'POST /v1/completions HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 12\r\n' +
        'accept: text/event-stream\r\nauthorization: Bearer k\r\nHost: h:8000\r\nConnection: keep-alive\r\n\r\n',
    );
  });
});
