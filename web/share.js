// Share links carry the whole job in the URL fragment:
//   #2<base64url(crc32(utf-8 text) ‖ deflate-raw(utf-8 text))>
// "2" is the format version; the CRC-32 (IEEE, 4 bytes big-endian) catches a
// damaged link that still inflates. Format 1 ("#1<base64url(deflate-raw)>",
// no checksum) is still read. internal/share reads and writes the same
// formats in Go so that `jobkit lint` accepts these links.

const VERSION = "2";
const LEGACY = "1";

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(s) {
  if (!/^[A-Za-z0-9_-]*=*$/.test(s)) throw new Error("not base64url");
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let table = null;
// crc32 is the CRC-32 of IEEE 802.3 (Go's crc32.ChecksumIEEE).
export function crc32(bytes) {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// encodeShare returns the fragment ("#2…") for text.
export async function encodeShare(text) {
  const bytes = new TextEncoder().encode(text);
  const packed = await pipe(bytes, new CompressionStream("deflate-raw"));
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, crc32(bytes));
  out.set(packed, 4);
  return "#" + VERSION + toBase64url(out);
}

// isShare tells whether a location hash is meant as a share link: "#", a
// version digit (known or not, so that an unknown one gets a message) and
// a payload. Other fragments (#editor) are page anchors.
export function isShare(hash) {
  return hash.length > 2 && hash[0] === "#" && /[0-9]/.test(hash[1]);
}

// decodeShare returns the text in a "#2…" or "#1…" fragment or throws an
// Error that says what is wrong with the link.
export async function decodeShare(hash) {
  const frag = hash.startsWith("#") ? hash.slice(1) : hash;
  const version = frag[0] ?? "";
  if (version !== VERSION && version !== LEGACY) {
    throw new Error(`This share link uses format ${JSON.stringify(version)}, which this page cannot read (it reads formats 1 and 2). It may come from a newer jobkit.`);
  }
  let packed;
  try {
    packed = fromBase64url(frag.slice(1));
  } catch {
    throw new Error("This share link is damaged (it is not base64url): copy the whole link again.");
  }
  let want = null;
  if (version === VERSION) {
    if (packed.length < 4) throw new Error("This share link is damaged (too short): copy the whole link again.");
    want = new DataView(packed.buffer, packed.byteOffset, 4).getUint32(0);
    packed = packed.subarray(4);
  }
  let bytes;
  try {
    bytes = await pipe(packed, new DecompressionStream("deflate-raw"));
  } catch {
    throw new Error("This share link is damaged (it cannot be inflated): copy the whole link again.");
  }
  if (want !== null && crc32(bytes) !== want) {
    throw new Error("This share link is damaged (its checksum does not match): copy the whole link again.");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("This share link is damaged (the job is not UTF-8): copy the whole link again.");
  }
}
