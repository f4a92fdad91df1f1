// The binary frame message of the live socket; its Java twin is domain/live/LiveFrameCodec.java.
// u8 version (2) | u8 flags (1 key, 2 substream) | u8 codec (0 jpeg, 1 h264) | u8 n | n id | u64 seq
// | i64 capture µs (camera clock) | i64 ingest µs (server clock) | u16 width | u16 height | encoded frame

export const FRAME_VERSION = 2;
const decoder = new TextDecoder();

/** The frame in a binary message, or null for a version this page does not know. */
export function parseFrame(buf) {
  const dv = new DataView(buf);
  if (buf.byteLength < 4 || dv.getUint8(0) !== FRAME_VERSION) return null;
  const flags = dv.getUint8(1);
  const codec = dv.getUint8(2) === 1 ? 'h264' : 'jpeg';
  const idLen = dv.getUint8(3);
  let o = 4;
  const cameraId = decoder.decode(new Uint8Array(buf, o, idLen)); o += idLen;
  const seq = dv.getBigUint64(o); o += 8;
  const captureUs = Number(dv.getBigInt64(o)); o += 8;
  const ingestUs = Number(dv.getBigInt64(o)); o += 8;
  const width = dv.getUint16(o); o += 2;
  const height = dv.getUint16(o); o += 2;
  return {
    cameraId, seq, captureUs, ingestUs, width, height, codec,
    key: (flags & 1) !== 0, substream: (flags & 2) !== 0,
    data: new Uint8Array(buf, o),
  };
}
