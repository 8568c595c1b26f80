/**
 * The national clouds the emulator impersonates. Hosts, issuers and Graph roots come from
 * Microsoft's published authority metadata (see the reference doc, section 1); everything that
 * differs per cloud lives here so no other file hard-codes a vendor host.
 */

export type LoginCloudName = 'global' | 'usgov' | 'china';
export type ListenerName = 'global' | 'usgov' | 'dod' | 'china';

export const LISTENER_NAMES: readonly ListenerName[] = ['global', 'usgov', 'dod', 'china'];

/** Microsoft Graph's application id; it is the same service principal in every cloud. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface LoginCloud {
  name: LoginCloudName;
  /** The authority host clients talk to. */
  host: string;
  /** Other names of the same authority; a client assertion may be addressed to any of them. */
  aliases: readonly string[];
  /** Host used in v2.0 issuers (`iss` of id tokens, discovery `issuer`); China differs from `host`. */
  issuerHost: string;
  /** Base of the v1.0 issuer that Graph access tokens carry (`https://sts.windows.net/{tid}/`). */
  stsIssuerBase: string;
  /** `cloud_instance_name` in discovery documents. */
  instanceName: string;
  /** Graph roots this authority mints tokens for; the first is the default for short scope names. */
  graphRoots: readonly string[];
}

export const LOGIN_CLOUDS: Readonly<Record<LoginCloudName, LoginCloud>> = {
  global: {
    name: 'global',
    host: 'login.microsoftonline.com',
    aliases: ['login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
    issuerHost: 'login.microsoftonline.com',
    stsIssuerBase: 'https://sts.windows.net',
    instanceName: 'microsoftonline.com',
    graphRoots: ['https://graph.microsoft.com'],
  },
  usgov: {
    name: 'usgov',
    host: 'login.microsoftonline.us',
    aliases: ['login.usgovcloudapi.net'],
    issuerHost: 'login.microsoftonline.us',
    // Azure Government ("Fairfax") v1 tokens keep the worldwide STS issuer.
    stsIssuerBase: 'https://sts.windows.net',
    instanceName: 'microsoftonline.us',
    // One authority serves both L4 (GCC High) and L5 (DoD); the scope's resource picks the Graph.
    graphRoots: ['https://graph.microsoft.us', 'https://dod-graph.microsoft.us'],
  },
  china: {
    name: 'china',
    host: 'login.chinacloudapi.cn',
    aliases: ['login.partner.microsoftonline.cn'],
    issuerHost: 'login.partner.microsoftonline.cn',
    stsIssuerBase: 'https://sts.chinacloudapi.cn',
    instanceName: 'partner.microsoftonline.cn',
    graphRoots: ['https://microsoftgraph.chinacloudapi.cn'],
  },
};

export interface ListenerDef {
  name: ListenerName;
  /** The authority this listener serves, if any (the DoD listener is Graph only). */
  login?: LoginCloudName;
  /** The one Graph root this listener serves; tokens must carry it as `aud`. */
  graphRoot: string;
  /** The authority that issues tokens for this Graph (used in `www-authenticate`). */
  graphLogin: LoginCloudName;
  /** Offset from the base port when a fixed base port is requested. */
  portOffset: number;
  /** Outlook on the web for this environment, the base of messages' and events' `webLink`. */
  outlookWeb: string;
  /** SharePoint Online's domain here: tenants are `{name}.{suffix}` and `{name}-my.{suffix}`. */
  sharePointSuffix: string;
}

export const LISTENERS: Readonly<Record<ListenerName, ListenerDef>> = {
  global: { name: 'global', login: 'global', graphRoot: 'https://graph.microsoft.com', graphLogin: 'global', portOffset: 0, outlookWeb: 'https://outlook.office365.com', sharePointSuffix: 'sharepoint.com' },
  usgov: { name: 'usgov', login: 'usgov', graphRoot: 'https://graph.microsoft.us', graphLogin: 'usgov', portOffset: 1, outlookWeb: 'https://outlook.office365.us', sharePointSuffix: 'sharepoint.us' },
  dod: { name: 'dod', graphRoot: 'https://dod-graph.microsoft.us', graphLogin: 'usgov', portOffset: 2, outlookWeb: 'https://outlook-dod.office365.us', sharePointSuffix: 'sharepoint-mil.us' },
  china: { name: 'china', login: 'china', graphRoot: 'https://microsoftgraph.chinacloudapi.cn', graphLogin: 'china', portOffset: 3, outlookWeb: 'https://partner.outlook.cn', sharePointSuffix: 'sharepoint.cn' },
};

export function hostOf(root: string): string {
  return new URL(root).host;
}

/** Personal OneDrive's content host (global cloud only). */
export const PERSONAL_CONTENT_HOST = 'my.microsoftpersonalcontent.com';

/** The SharePoint hosts of a tenant in a listener's cloud: the sites host and the OneDrive (-my) host. */
export function sharePointHosts(def: ListenerDef, tenantName: string): { sites: string; personal: string } {
  const name = tenantName.toLowerCase();
  return { sites: `${name}.${def.sharePointSuffix}`, personal: `${name}-my.${def.sharePointSuffix}` };
}

/** The vendor hosts a listener stands in for, login host first. */
export function listenerHosts(def: ListenerDef): string[] {
  const hosts: string[] = [];
  if (def.login) hosts.push(LOGIN_CLOUDS[def.login].host);
  hosts.push(hostOf(def.graphRoot));
  return hosts;
}
