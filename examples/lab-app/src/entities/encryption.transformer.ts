import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ValueTransformer } from 'typeorm';

/** AES-256-GCM field encryption; the key comes from the vault through LAB_FIELD_KEY. */
function key(): Buffer {
  const raw = process.env.LAB_FIELD_KEY;
  if (!raw) throw new Error('LAB_FIELD_KEY is missing');
  return Buffer.from(raw, 'base64');
}

export function encryptField(clear: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const sealed = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64')).join('.');
}

export function decryptField(stored: string): string {
  const [iv, tag, sealed] = stored.split('.').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key(), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
}

/** TypeORM transformer: encrypts on write, decrypts on read. */
export const encryptedTransformer: ValueTransformer = {
  to: (value?: string | null) => (value == null ? value : encryptField(value)),
  from: (value?: string | null) => (value == null ? value : decryptField(value)),
};
