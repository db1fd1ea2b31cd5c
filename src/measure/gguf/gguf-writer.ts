/**
 * A GGUF v3 writer (ggml/docs/gguf.md): header (`GGUF`, version 3, tensor count, metadata KV
 * count, all little-endian), metadata key/value pairs, tensor infos (name, dimensions innermost
 * first, ggml type, data offset), padding to `general.alignment` (default 32), then the tensor
 * data, each tensor starting at an aligned offset. Strings are a uint64 byte length plus UTF-8
 * bytes with no terminator. Tensor data are streamed to the file in chunks, so a 1 GB model is
 * written without holding it in memory.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** gguf_metadata_value_type. */
export const GGUF_VALUE_TYPE = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/**
 * The ggml tensor types this writer produces (`enum ggml_type` ids in ggml.h: GGML_TYPE_F32 = 0,
 * GGML_TYPE_F16 = 1, GGML_TYPE_Q8_0 = 8).
 */
export const GGML_TYPE = { f32: 0, f16: 1, q8_0: 8 } as const;
export type GgmlTensorType = keyof typeof GGML_TYPE;
/**
 * Storage of each type as blocks: `blockElements` consecutive elements of the innermost
 * dimension take `blockBytes` bytes. Q8_0 is ggml's `block_q8_0` (ggml-common.h, QK8_0 = 32):
 * one binary16 scale `d` followed by 32 int8 quants `qs`, value = d · qs[i] — 34 bytes per 32
 * weights, 8.5 bits each. A Q8_0 row's length must be a multiple of 32.
 */
export const GGML_TYPE_BLOCK: Record<
  GgmlTensorType,
  { blockElements: number; blockBytes: number }
> = {
  f32: { blockElements: 1, blockBytes: 4 },
  f16: { blockElements: 1, blockBytes: 2 },
  q8_0: { blockElements: 32, blockBytes: 34 },
};
export const QK8_0 = 32;
export const Q8_0_BLOCK_BYTES = 34;

export type GgufScalar =
  | { type: 'uint32'; value: number }
  | { type: 'int32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'uint64'; value: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string };

export type GgufValue =
  | GgufScalar
  | { type: 'array'; itemType: 'string'; values: readonly string[] }
  | { type: 'array'; itemType: 'float32' | 'int32' | 'uint32'; values: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml `ne`: the innermost (contiguous) dimension first. */
  dims: readonly number[];
  type: GgmlTensorType;
  /**
   * Writes the tensor's bytes in order by calling `sink` with consecutive chunks; the chunks
   * together must hold exactly `tensorBytes(tensor)` bytes (elements / blockElements · blockBytes).
   */
  writeData(sink: (chunk: Uint8Array) => void): void;
}

export interface GgufFile {
  metadata: ReadonlyArray<readonly [string, GgufValue]>;
  tensors: readonly GgufTensor[];
  /** Must match `general.alignment` in the metadata when that key is present. */
  alignment?: number;
}

export const tensorElements = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);
/** Bytes of a tensor's data; throws when the innermost dimension is not a whole number of blocks. */
export function tensorBytes(t: Pick<GgufTensor, 'dims' | 'type'> & { name?: string }): number {
  const { blockElements, blockBytes } = GGML_TYPE_BLOCK[t.type];
  if ((t.dims[0] ?? 0) % blockElements !== 0)
    throw new RangeError(
      `tensorBytes: ${t.name ?? 'tensor'} of type ${t.type} needs its innermost dimension (${t.dims[0]}) to be a multiple of ${blockElements}`,
    );
  return (tensorElements(t.dims) / blockElements) * blockBytes;
}
const alignUp = (n: number, alignment: number): number => Math.ceil(n / alignment) * alignment;

/** A growable little-endian byte buffer for the header part of the file. */
class ByteWriter {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u64(v: bigint | number): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeValue(w: ByteWriter, v: GgufValue): void {
  w.u32(GGUF_VALUE_TYPE[v.type]);
  switch (v.type) {
    case 'uint32':
      return w.u32(v.value);
    case 'int32':
      return w.i32(v.value);
    case 'float32':
      return w.f32(v.value);
    case 'uint64':
      return w.u64(v.value);
    case 'bool':
      return w.u8(v.value ? 1 : 0);
    case 'string':
      return w.str(v.value);
    case 'array': {
      w.u32(GGUF_VALUE_TYPE[v.itemType]);
      w.u64(v.values.length);
      if (v.itemType === 'string') for (const s of v.values) w.str(s);
      else {
        const put = v.itemType === 'float32' ? w.f32 : v.itemType === 'int32' ? w.i32 : w.u32;
        for (let i = 0; i < v.values.length; i++) put.call(w, v.values[i]!);
      }
      return;
    }
  }
}

/**
 * The bytes before the tensor data (header, metadata, tensor infos, padding) and each
 * tensor's offset relative to the start of the data section.
 */
export function ggufHeader(
  file: Omit<GgufFile, 'tensors'> & {
    tensors: readonly Pick<GgufTensor, 'name' | 'dims' | 'type'>[];
  },
): {
  header: Buffer;
  offsets: number[];
  dataBytes: number;
} {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const stated = file.metadata.find(([k]) => k === 'general.alignment')?.[1];
  if (stated && (stated.type !== 'uint32' || stated.value !== alignment))
    throw new RangeError(`ggufHeader: general.alignment must be a uint32 equal to ${alignment}`);
  const w = new ByteWriter();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(file.tensors.length);
  w.u64(file.metadata.length);
  for (const [key, value] of file.metadata) {
    w.str(key);
    writeValue(w, value);
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const t of file.tensors) {
    if (t.dims.length < 1 || t.dims.length > 4)
      throw new RangeError(`ggufHeader: tensor ${t.name} must have 1..4 dimensions`);
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_TYPE[t.type]);
    w.u64(offset);
    offsets.push(offset);
    offset = alignUp(offset + tensorBytes(t), alignment);
  }
  w.zeros(alignUp(w.length, alignment) - w.length);
  return { header: w.bytes(), offsets, dataBytes: offset };
}

/** Writes `file` to `path` (created or truncated); returns the file size in bytes. */
export function writeGguf(path: string, file: GgufFile): number {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const { header, offsets } = ggufHeader(file);
  const fd = openSync(path, 'w');
  let position = 0;
  const put = (chunk: Uint8Array): void => {
    let done = 0;
    while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
    position += chunk.length;
  };
  try {
    put(header);
    const dataStart = header.length;
    file.tensors.forEach((t, i) => {
      const start = dataStart + offsets[i]!;
      if (position < start) put(new Uint8Array(start - position));
      t.writeData(put);
      const written = position - start;
      if (written !== tensorBytes(t))
        throw new RangeError(
          `writeGguf: tensor ${t.name} wrote ${written} bytes, expected ${tensorBytes(t)}`,
        );
    });
    const end = alignUp(position, alignment);
    if (position < end) put(new Uint8Array(end - position));
    // On disk before it is used: a 1 GB file left dirty in the page cache is written back a
    // while later, in the middle of whatever is being timed with it.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return position;
}
