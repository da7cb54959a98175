// Share links carry the whole job in the URL fragment:
//   #1<base64url(deflate-raw(utf-8 text))>
// "1" is the format version. internal/share decodes the same format in Go so
// that `jobkit lint` accepts these links.

const VERSION = "1";

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
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// encodeShare returns the fragment ("#1…") for text.
export async function encodeShare(text) {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  return "#" + VERSION + toBase64url(packed);
}

// isShare tells whether a location hash holds a share link.
export function isShare(hash) {
  return hash.length > 2 && hash[0] === "#" && hash[1] === VERSION;
}

// decodeShare returns the text in a "#1…" fragment or throws an Error that
// says what is wrong with the link.
export async function decodeShare(hash) {
  const frag = hash.startsWith("#") ? hash.slice(1) : hash;
  if (frag[0] !== VERSION) {
    throw new Error(`this share link uses format "${frag[0] ?? ""}", which this page cannot read`);
  }
  let packed;
  try {
    packed = fromBase64url(frag.slice(1));
  } catch {
    throw new Error("this share link is damaged (bad base64url); copy the whole link again");
  }
  try {
    const bytes = await pipe(packed, new DecompressionStream("deflate-raw"));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error("this share link is damaged (cannot inflate); copy the whole link again");
  }
}
