/**
 * Signed tree heads: a node's signed statement "my audit log had `treeSize` entries
 * with Merkle root `rootHash` at `timestamp`" (the role of RFC 9162 §4.10's
 * SignedTreeHead / TreeHeadDataV2). Once a head has been handed to someone else, the
 * node can no longer rewrite the first `treeSize` entries without being caught: any
 * later head must be provably consistent with it (RFC 9162 §2.1.4).
 *
 * Signatures are Ed25519 (RFC 8032) via node:crypto over this exact byte string, the
 * UTF-8 (here: ASCII) encoding of four lines joined by "\n", with no trailing newline:
 *
 *     portshield-sth-v1
 *     <treeSize as decimal digits, no sign, no leading zeros>
 *     <rootHash as 64 lowercase hex digits>
 *     <timestamp as Date.prototype.toISOString() gives it: YYYY-MM-DDTHH:mm:ss.sssZ>
 *
 * The first line is a domain separator and version, so that this key's signatures
 * cannot be replayed as any other kind of PortShield signature, and so that the
 * encoding can change later under a new tag. Each field has exactly one accepted
 * spelling, so a head has exactly one signed encoding: signTreeHead refuses heads
 * that are not canonical, and verifyTreeHead rejects them.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/** What the log commits to at a point in time. */
export interface TreeHead {
  /** Number of entries (leaves) in the log. */
  treeSize: number;
  /** MTH of those entries, 64 lowercase hex digits. */
  rootHash: string;
  /** When the head was produced, ISO 8601 in UTC with milliseconds (`Date.prototype.toISOString`). */
  timestamp: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Ed25519 signature over treeHeadSigningInput(head), standard base64 (88 characters). */
  signature: string;
  /** SHA-256 of the raw 32-byte Ed25519 public key, 64 lowercase hex digits. */
  keyId: string;
}

/** Domain separator and version of the signed encoding. */
export const TREE_HEAD_SIGNATURE_CONTEXT = 'portshield-sth-v1';

const HEX_64 = /^[0-9a-f]{64}$/;
const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ED25519_SIGNATURE_LENGTH = 64;

function isCanonicalTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_UTC_MILLIS.test(value)) return false;
  const time = Date.parse(value);
  // Rejects impossible dates such as 2024-02-30, which the pattern alone lets through.
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

/** Why `head` is not canonical, or null if it is. */
function treeHeadProblem(head: unknown): string | null {
  if (typeof head !== 'object' || head === null) return 'a tree head must be an object';
  const { treeSize, rootHash, timestamp } = head as Record<string, unknown>;
  if (typeof treeSize !== 'number' || !Number.isSafeInteger(treeSize) || treeSize < 0) {
    return 'treeSize must be a non-negative safe integer';
  }
  if (typeof rootHash !== 'string' || !HEX_64.test(rootHash))
    return 'rootHash must be 64 lowercase hex digits';
  if (!isCanonicalTimestamp(timestamp))
    return 'timestamp must be a UTC time as written by Date.toISOString()';
  return null;
}

/** The exact bytes that are signed for `head` (see the module comment). Throws if `head` is not canonical. */
export function treeHeadSigningInput(head: TreeHead): Buffer {
  const problem = treeHeadProblem(head);
  if (problem) throw new TypeError(problem);
  return Buffer.from(
    `${TREE_HEAD_SIGNATURE_CONTEXT}\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}`,
    'utf8',
  );
}

/** A tree head for `root` over `treeSize` entries, stamped with `at` (default: now). */
export function makeTreeHead(treeSize: number, root: Uint8Array, at: Date = new Date()): TreeHead {
  const head = { treeSize, rootHash: Buffer.from(root).toString('hex'), timestamp: at.toISOString() };
  const problem = treeHeadProblem(head);
  if (problem) throw new TypeError(problem);
  return head;
}

function assertEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`expected an Ed25519 ${type} key`);
  }
}

/** The raw 32-byte Ed25519 public key (RFC 8032 §5.1.5 encoding). */
function rawPublicKey(publicKey: KeyObject): Buffer {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TypeError('not an Ed25519 public key');
  return Buffer.from(x, 'base64url');
}

/** SHA-256 of the raw Ed25519 public key, hex: identifies which node key signed a head. */
export function keyIdOf(publicKey: KeyObject): string {
  assertEd25519(publicKey, 'public');
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex');
}

/** Signs a canonical tree head with the node's Ed25519 private key. */
export function signTreeHead(head: TreeHead, privateKey: KeyObject): SignedTreeHead {
  assertEd25519(privateKey, 'private');
  const message = treeHeadSigningInput(head);
  // Ed25519 hashes internally; node:crypto takes `null` as the digest for it.
  const signature = sign(null, message, privateKey).toString('base64');
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    signature,
    keyId: keyIdOf(createPublicKey(privateKey)),
  };
}

/**
 * True only if `sth` is a canonical head, its keyId names `publicKey`, and its
 * signature verifies under `publicKey`. `sth` may come from anywhere: malformed
 * input yields false, never an exception. Throws only if `publicKey` is not an
 * Ed25519 public key (a configuration error).
 */
export function verifyTreeHead(sth: SignedTreeHead, publicKey: KeyObject): boolean {
  assertEd25519(publicKey, 'public');
  if (treeHeadProblem(sth) !== null) return false;
  const { signature, keyId } = sth;
  if (typeof keyId !== 'string' || keyId !== keyIdOf(publicKey)) return false;
  if (typeof signature !== 'string') return false;
  const signatureBytes = Buffer.from(signature, 'base64');
  // Node's base64 decoder skips junk characters; insist on the one canonical spelling.
  if (signatureBytes.length !== ED25519_SIGNATURE_LENGTH || signatureBytes.toString('base64') !== signature) {
    return false;
  }
  try {
    return verify(null, treeHeadSigningInput(sth), publicKey, signatureBytes);
  } catch {
    return false;
  }
}

/** A fresh Ed25519 node key pair: PKCS#8 private key and SPKI public key, both PEM. */
export function generateNodeKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface NodeKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** Loads an Ed25519 public key from SPKI PEM (what other nodes and auditors hold). */
export function loadPublicKey(publicKeyPem: string): KeyObject {
  const publicKey = createPublicKey(publicKeyPem);
  assertEd25519(publicKey, 'public');
  return publicKey;
}

/**
 * Loads the node's key pair from PEM. The public key is derived from the private
 * key; if a public key PEM is given as well, it must be the matching one (catches a
 * configuration that pairs one node's private key with another's public key).
 */
export function loadKeys(privateKeyPem: string, publicKeyPem?: string): NodeKeys {
  const privateKey = createPrivateKey(privateKeyPem);
  assertEd25519(privateKey, 'private');
  const publicKey = createPublicKey(privateKey);
  if (
    publicKeyPem !== undefined &&
    !rawPublicKey(loadPublicKey(publicKeyPem)).equals(rawPublicKey(publicKey))
  ) {
    throw new Error('the public key does not belong to the private key');
  }
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}
