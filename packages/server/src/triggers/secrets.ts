import type { Queryable } from '../store/database.ts';
import type { Vault } from '../vault/vault.ts';
import { newSigningSecret, signingKey } from './delivery/signing.ts';

/** Vault scopes of trigger secrets; the owner is the trigger id. */
export const SIGNING_SCOPE = 'trigger-signing';
export const SUBSCRIPTION_SCOPE = 'trigger-subscription';

/**
 * The secrets of triggers, in the vault: the Standard Webhooks key each trigger signs its
 * deliveries with (shown once, at creation), and the secret of a vendor subscription (Graph's
 * clientState, or a signing key the vendor was given). Signing keys never change, so they are
 * kept in memory after the first read: a delivery does not pay for a decryption.
 */
export class TriggerSecrets {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly vault: Vault) {}

  async createSigningSecret(triggerId: string, tx: Queryable): Promise<string> {
    const secret = newSigningSecret();
    await this.vault.put(SIGNING_SCOPE, triggerId, { secret }, tx);
    return secret;
  }

  async signingKey(triggerId: string): Promise<Buffer | undefined> {
    const known = this.keys.get(triggerId);
    if (known) return known;
    const stored = await this.vault.get<{ secret: string }>(SIGNING_SCOPE, triggerId);
    if (!stored) return undefined;
    const key = signingKey(stored.value.secret);
    if (this.keys.size >= 10_000) this.keys.clear();
    this.keys.set(triggerId, key);
    return key;
  }

  async subscriptionSecret(triggerId: string, db?: Queryable): Promise<string | undefined> {
    return (await this.vault.get<{ secret: string }>(SUBSCRIPTION_SCOPE, triggerId, db))?.value.secret;
  }

  async putSubscriptionSecret(triggerId: string, secret: string, db?: Queryable): Promise<void> {
    await this.vault.put(SUBSCRIPTION_SCOPE, triggerId, { secret }, db);
  }

  /** Inside the transaction that deletes the trigger (or its connection). */
  async forget(triggerId: string, tx: Queryable): Promise<void> {
    this.keys.delete(triggerId);
    await this.vault.delete(SIGNING_SCOPE, triggerId, tx);
    await this.vault.delete(SUBSCRIPTION_SCOPE, triggerId, tx);
  }
}
