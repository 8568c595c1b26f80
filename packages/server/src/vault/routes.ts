import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.ts';
import { problems } from '../http/schemas.ts';
import { forbidden } from '../problems/problem.ts';
import type { Vault } from './vault.ts';

export function vaultRoutes(app: App, vault: Vault): void {
  app.post('/api/v1/vault/rotate', {
    schema: {
      tags: ['System'],
      summary: 'Rotate the vault data key and re-encrypt every secret, online (tenant administrators)',
      response: { 200: Type.Object({ keyId: Type.String(), reencrypted: Type.Integer(), remaining: Type.Integer() }), ...problems(401, 403) },
    },
  }, async (request) => {
    if (!request.principal.isTenantAdmin) throw forbidden('tenant administrator', 'to rotate the vault key');
    const result = await vault.rotate();
    request.log.info({ keyId: result.keyId, reencrypted: result.reencrypted }, 'vault data key rotated');
    return result;
  });
}
