import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash, rootFromLeafHashes } from './merkle.ts';
import {
  generateNodeKey,
  keyIdOf,
  loadKeys,
  loadPublicKey,
  makeTreeHead,
  type SignedTreeHead,
  signTreeHead,
  type TreeHead,
  treeHeadSigningInput,
  verifyTreeHead,
} from './tree-head.ts';

const node = loadKeys(generateNodeKey().privateKeyPem);
const other = loadKeys(generateNodeKey().privateKeyPem);

const root = rootFromLeafHashes([leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))]);
const head: TreeHead = makeTreeHead(2, root, new Date(Date.UTC(2025, 0, 31, 12, 30, 45, 67)));

describe('tree head encoding', () => {
  it('is the documented four-line string', () => {
    expect(head).toEqual({
      treeSize: 2,
      rootHash: root.toString('hex'),
      timestamp: '2025-01-31T12:30:45.067Z',
    });
    expect(treeHeadSigningInput(head).toString('utf8')).toBe(
      `portshield-sth-v1\n2\n${root.toString('hex')}\n2025-01-31T12:30:45.067Z`,
    );
  });

  it('refuses heads with more than one possible spelling', () => {
    const bad: TreeHead[] = [
      { ...head, treeSize: -1 },
      { ...head, treeSize: 1.5 },
      { ...head, treeSize: 2 ** 53 },
      { ...head, rootHash: head.rootHash.toUpperCase() },
      { ...head, rootHash: head.rootHash.slice(2) },
      { ...head, rootHash: `${head.rootHash}00` },
      { ...head, timestamp: '2025-01-31T12:30:45Z' },
      { ...head, timestamp: '2025-01-31T13:30:45.067+01:00' },
      { ...head, timestamp: '2025-02-30T12:30:45.067Z' },
      { ...head, timestamp: 'yesterday' },
    ];
    for (const h of bad) {
      expect(() => treeHeadSigningInput(h)).toThrow(TypeError);
      expect(() => signTreeHead(h, node.privateKey)).toThrow(TypeError);
    }
    expect(() => makeTreeHead(-1, root)).toThrow(TypeError);
    expect(() => makeTreeHead(1, root.subarray(1))).toThrow(TypeError);
  });
});

describe('signTreeHead / verifyTreeHead', () => {
  const sth = signTreeHead(head, node.privateKey);

  it('round-trips, also through JSON', () => {
    expect(sth).toMatchObject(head);
    expect(sth.keyId).toBe(node.keyId);
    expect(Buffer.from(sth.signature, 'base64')).toHaveLength(64);
    expect(verifyTreeHead(sth, node.publicKey)).toBe(true);
    expect(verifyTreeHead(JSON.parse(JSON.stringify(sth)) as SignedTreeHead, node.publicKey)).toBe(true);
  });

  it('signs the empty tree too', () => {
    const empty = signTreeHead(makeTreeHead(0, rootFromLeafHashes([])), node.privateKey);
    expect(verifyTreeHead(empty, node.publicKey)).toBe(true);
  });

  it('fails when any field is altered', () => {
    const flipHex = (h: string, at: number): string =>
      h.slice(0, at) + (h[at] === '0' ? '1' : '0') + h.slice(at + 1);
    const signature = Buffer.from(sth.signature, 'base64');
    const altered: SignedTreeHead[] = [
      { ...sth, treeSize: sth.treeSize + 1 },
      { ...sth, treeSize: sth.treeSize - 1 },
      { ...sth, treeSize: 0 },
      { ...sth, rootHash: flipHex(sth.rootHash, 0) },
      { ...sth, rootHash: flipHex(sth.rootHash, 63) },
      { ...sth, timestamp: '2025-01-31T12:30:45.068Z' },
      { ...sth, timestamp: '2026-01-31T12:30:45.067Z' },
      { ...sth, keyId: flipHex(sth.keyId, 10) },
      { ...sth, keyId: other.keyId },
      ...[0, 31, 32, 63].map((i) => {
        const s = Buffer.from(signature);
        s[i] = s[i]! ^ 0x01;
        return { ...sth, signature: s.toString('base64') };
      }),
      { ...sth, signature: signTreeHead(head, other.privateKey).signature },
      { ...sth, signature: '' },
    ];
    for (const a of altered) expect(verifyTreeHead(a, node.publicKey)).toBe(false);
  });

  it('fails under another key, even with a matching keyId', () => {
    expect(verifyTreeHead(sth, other.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...sth, keyId: other.keyId }, other.publicKey)).toBe(false);
  });

  it('returns false for malformed input instead of throwing', () => {
    const malformed: unknown[] = [
      null,
      'sth',
      {},
      { ...sth, treeSize: '2' },
      { ...sth, rootHash: 42 },
      { ...sth, timestamp: 0 },
      { ...sth, signature: undefined },
      { ...sth, keyId: null },
      // Node's base64 decoder ignores junk; the signature must be spelled canonically.
      { ...sth, signature: `${sth.signature}!` },
      { ...sth, signature: ` ${sth.signature}` },
      { ...sth, signature: Buffer.from(sth.signature, 'base64').toString('base64url') },
      { ...sth, signature: Buffer.from(sth.signature, 'base64').subarray(0, 63).toString('base64') },
    ];
    for (const m of malformed) expect(verifyTreeHead(m as SignedTreeHead, node.publicKey)).toBe(false);
  });

  it('insists on Ed25519 keys of the right kind', () => {
    const { privateKey: ecPrivate, publicKey: ecPublic } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signTreeHead(head, ecPrivate)).toThrow(TypeError);
    expect(() => signTreeHead(head, node.publicKey)).toThrow(TypeError);
    expect(() => verifyTreeHead(sth, ecPublic)).toThrow(TypeError);
    expect(() => verifyTreeHead(sth, node.privateKey)).toThrow(TypeError);
  });
});

describe('keys', () => {
  it('generates PEM key pairs that load and sign', () => {
    const { privateKeyPem, publicKeyPem } = generateNodeKey();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const keys = loadKeys(privateKeyPem, publicKeyPem);
    const sth = signTreeHead(head, keys.privateKey);
    expect(verifyTreeHead(sth, loadPublicKey(publicKeyPem))).toBe(true);
  });

  it('derives keyId as SHA-256 of the raw 32-byte public key', () => {
    // The SPKI DER of an Ed25519 key is a fixed 12-byte header followed by the raw key.
    const spki = node.publicKey.export({ type: 'spki', format: 'der' });
    expect(spki).toHaveLength(44);
    const raw = spki.subarray(12);
    expect(node.keyId).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(keyIdOf(createPublicKey(node.privateKey))).toBe(node.keyId);
    expect(node.keyId).not.toBe(other.keyId);
  });

  it('rejects a public key that does not belong to the private key', () => {
    const a = generateNodeKey();
    const b = generateNodeKey();
    expect(() => loadKeys(a.privateKeyPem, b.publicKeyPem)).toThrow(/does not belong/);
  });

  it('rejects keys that are not Ed25519', () => {
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => loadKeys(ec.privateKey)).toThrow(TypeError);
    expect(() => loadPublicKey(ec.publicKey)).toThrow(TypeError);
  });
});
