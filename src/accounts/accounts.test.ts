import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS } from './permissions.js';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.js';
import { hashSecret, newSecret } from './tokens.js';

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', a)).resolves.toBe(false);
    await expect(verifyPassword('anything', 'plain-text')).resolves.toBe(false);
  });

  it('refuses short passwords', () => {
    expect(() => checkPasswordStrength('short')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => checkPasswordStrength('long enough now')).not.toThrow();
  });
});

describe('secrets and permissions', () => {
  it('makes unguessable secrets and stores only their hash', () => {
    const s = newSecret('ses');
    expect(s).toMatch(/^ses_[A-Za-z0-9_-]{43}$/);
    expect(newSecret('ses')).not.toBe(s);
    expect(hashSecret(s)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(s)).toBe(hashSecret(s));
  });

  it('lets only admins manage users and read the audit log, and readers only read and ask', () => {
    expect(PERMISSIONS.reader).toEqual(['ask', 'read']);
    for (const role of ['reader', 'editor', 'reviewer'] as const) {
      expect(can(role, 'users.manage')).toBe(false);
      expect(can(role, 'audit.read')).toBe(false);
    }
    expect(can('admin', 'users.manage')).toBe(true);
    expect(can('admin', 'article.transition')).toBe(false);
  });
});
