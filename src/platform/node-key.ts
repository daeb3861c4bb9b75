import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface NodeKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/**
 * The node's Ed25519 key signs audit tree heads (and, later, federation envelopes).
 * It lives in the database so that every process of one node signs with the same key.
 */
export async function loadOrCreateNodeKey(db: Db): Promise<NodeKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pubPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await sql`insert into node_key (id, private_key_pem, public_key_pem) values (1, ${privPem}, ${pubPem})
    on conflict (id) do nothing`.execute(db);
  const row = await sql<{ private_key_pem: string; public_key_pem: string }>`
    select private_key_pem, public_key_pem from node_key where id = 1`.execute(db);
  const r = row.rows[0];
  if (!r) throw new Error('node key missing after insert');
  return {
    privateKey: createPrivateKey(r.private_key_pem),
    publicKey: createPublicKey(r.public_key_pem),
    publicKeyPem: r.public_key_pem,
  };
}
