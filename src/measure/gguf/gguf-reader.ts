/**
 * A minimal GGUF v3 header reader: magic, version, metadata and tensor infos (no tensor data).
 * Used to check the writer and to describe a generated model; reads from a Buffer holding at
 * least the header (the first few MB of a file are enough for a small vocabulary).
 */
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VALUE_TYPE } from './gguf-writer.js';

export type GgufReadValue = number | bigint | boolean | string | GgufReadValue[];

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: number;
  offset: number;
}

export interface GgufHeaderInfo {
  version: number;
  metadata: Map<string, GgufReadValue>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute file offset where the tensor data section starts. */
  dataStart: number;
}

const TYPE_NAMES = Object.fromEntries(Object.entries(GGUF_VALUE_TYPE).map(([k, v]) => [v, k]));

/** Parse the header of a GGUF file. Throws a RangeError naming what is wrong. */
export function readGgufHeader(buf: Buffer): GgufHeaderInfo {
  let p = 0;
  const need = (n: number): void => {
    if (p + n > buf.length)
      throw new RangeError(`readGgufHeader: truncated at byte ${p} (need ${n} more)`);
  };
  const u32 = (): number => (need(4), (p += 4), buf.readUInt32LE(p - 4));
  const u64 = (): number => {
    need(8);
    const v = buf.readBigUInt64LE(p);
    p += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new RangeError('readGgufHeader: uint64 too large');
    return Number(v);
  };
  const str = (): string => {
    const n = u64();
    need(n);
    const s = buf.toString('utf8', p, p + n);
    p += n;
    return s;
  };
  const scalar = (type: number): GgufReadValue => {
    switch (TYPE_NAMES[type]) {
      case 'uint8':
        return (need(1), (p += 1), buf.readUInt8(p - 1));
      case 'int8':
        return (need(1), (p += 1), buf.readInt8(p - 1));
      case 'uint16':
        return (need(2), (p += 2), buf.readUInt16LE(p - 2));
      case 'int16':
        return (need(2), (p += 2), buf.readInt16LE(p - 2));
      case 'uint32':
        return u32();
      case 'int32':
        return (need(4), (p += 4), buf.readInt32LE(p - 4));
      case 'float32':
        return (need(4), (p += 4), buf.readFloatLE(p - 4));
      case 'bool':
        return (need(1), (p += 1), buf.readUInt8(p - 1) !== 0);
      case 'string':
        return str();
      case 'uint64':
        return (need(8), (p += 8), buf.readBigUInt64LE(p - 8));
      case 'int64':
        return (need(8), (p += 8), buf.readBigInt64LE(p - 8));
      case 'float64':
        return (need(8), (p += 8), buf.readDoubleLE(p - 8));
      case 'array': {
        const itemType = u32();
        const n = u64();
        const out: GgufReadValue[] = [];
        for (let i = 0; i < n; i++) out.push(scalar(itemType));
        return out;
      }
      default:
        throw new RangeError(`readGgufHeader: unknown value type ${type} at byte ${p}`);
    }
  };
  if (u32() !== GGUF_MAGIC) throw new RangeError('readGgufHeader: not a GGUF file (bad magic)');
  const version = u32();
  if (version !== 3) throw new RangeError(`readGgufHeader: version ${version}, expected 3`);
  const numTensors = u64();
  const numKv = u64();
  const metadata = new Map<string, GgufReadValue>();
  for (let i = 0; i < numKv; i++) {
    const key = str();
    metadata.set(key, scalar(u32()));
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < numTensors; i++) {
    const name = str();
    const nDims = u32();
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const a = metadata.get('general.alignment');
  const alignment = typeof a === 'number' ? a : GGUF_DEFAULT_ALIGNMENT;
  return { version, metadata, tensors, alignment, dataStart: Math.ceil(p / alignment) * alignment };
}
