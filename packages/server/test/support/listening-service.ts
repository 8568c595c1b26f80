import { type MicrosoftEmulator, startMicrosoftEmulator } from '@switchboard/emulator-microsoft';
import { APP } from './microsoft.ts';
import { type TriggerService, sharedFolder, startTriggerService } from './triggers.ts';

/**
 * A Switchboard listening on a real port (as clients outside the process reach it: the SDK,
 * the CLI, webhook senders) whose Microsoft hosts are a fresh emulator, with the trigger engine
 * running.
 */
export interface ListeningService {
  s: TriggerService;
  em: MicrosoftEmulator;
  /** The Shared folder. */
  folderId: string;
  /** Consents as `user` on the emulator's page and follows the redirect back: the connection becomes Connected. */
  consent(authorizationUrl: string, user: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startListeningService(): Promise<ListeningService> {
  const em = await startMicrosoftEmulator({ port: 0, transferLinks: 'sharepoint' });
  const s = await startTriggerService('embedded', { listen: true, env: { SWITCHBOARD_HOST_MAP: em.hostMap } });
  // The app registration lists this instance's callback, as a real one lists the deployment's.
  const app = em.seed.apps.find((a) => a.clientId === APP.clientId)!;
  em.upsertApp({ ...app, redirectUris: [...(app.redirectUris ?? []), `${s.publicUrl}/api/v1/oauth/callback`] });
  const folderId = await sharedFolder(s);
  return {
    s,
    em,
    folderId,
    async consent(authorizationUrl, user) {
      const callback = new URL(await em.consent(authorizationUrl, { user }));
      return fetch(`${s.publicUrl}${callback.pathname}${callback.search}`, { headers: { accept: 'application/json' } });
    },
    async close() {
      await s.close();
      await em.close();
    },
  };
}
