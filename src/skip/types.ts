/**
 * SKIP (draft-cisco-skip-02) JSON shapes shared by the key server (src/skip/server.ts) and the client
 * (src/skip/client.ts). Field names use the draft's casing exactly: `keyId`, `localSystemID`,
 * `remoteSystemID`, `randomStr`, `minentropy`.
 */

/** §4.1, Fig. 3–4, Table 4: `GET /capabilities` → 200. All fields required. */
export interface SkipCapabilities {
  entropy: boolean;
  key: boolean;
  /** Free text, ≥16 bytes accepted (e.g. "PRF", "QKD"). */
  algorithm: string;
  localSystemID: string;
  /** ≥1 entry; entries may be POSIX globs (`*`, `?`, `[list]`, `[!list]`). */
  remoteSystemID: string[];
}

/** §4.2, Fig. 5–6, Table 6: `GET /key?…` and `GET /key/{keyId}?…` → 200. Both hex-encoded. */
export interface SkipKeyResponse {
  /** Hex, default 128 bits. */
  keyId: string;
  /** Hex, default 256 bits. */
  key: string;
}

/** §4.3, Fig. 7–8, Table 8: `GET /entropy[?minentropy=N]` → 200. */
export interface SkipEntropyResponse {
  /** Hex-encoded random bytes. */
  randomStr: string;
  /** Bits of entropy in randomStr. */
  minentropy: number;
}

/**
 * Body of every non-200 response. The draft only says bodies are JSON (RFC 8259); webswan's key server
 * sends `{ "status": <HTTP code>, "message": "<reason>" }` (405 message: "Only 'GET' is supported").
 * Clients must tolerate any JSON (or none) here and rely on the HTTP status.
 */
export interface SkipErrorBody {
  status: number;
  message: string;
}

/** Draft defaults and webswan's bounds (bits). */
export const SKIP_DEFAULT_KEY_BITS = 256;
export const SKIP_DEFAULT_KEYID_BITS = 128;
export const SKIP_DEFAULT_ENTROPY_BITS = 256;
export const SKIP_MIN_KEY_BITS = 8;
export const SKIP_MAX_KEY_BITS = 8192;
export const SKIP_MAX_ENTROPY_BITS = 8192;
/** Content type of every response body. */
export const SKIP_CONTENT_TYPE = 'application/json';

export type SkipEndpoint = 'capabilities' | 'key' | 'key-by-id' | 'entropy';
