import type { AuthProviderError } from './errors.ts';

/**
 * Turns a vendor's authorization error into a sentence a person can act on. Microsoft's
 * AADSTS codes are the reference set (the seed's connector); other vendors fall back to
 * the RFC 6749 error code and the vendor's own description.
 */
const AADSTS: Record<string, { message: string; reason: string }> = {
  '50194': {
    reason: 'single_tenant_app_on_common',
    message: 'The app registration is single-tenant, so it cannot sign in through "common". Set Tenant ID to your directory (tenant) ID or domain, or make the app multi-tenant in Microsoft Entra.',
  },
  '65001': {
    reason: 'consent_required',
    message: 'The user or an administrator has not consented to the app\'s permissions. Reconnect and accept the consent prompt, or ask a Microsoft Entra administrator to grant admin consent.',
  },
  '7000215': {
    reason: 'invalid_client_secret',
    message: 'The client secret is wrong. Use the secret\'s Value (not its Secret ID) from Certificates & secrets of the app registration.',
  },
  '7000222': {
    reason: 'client_secret_expired',
    message: 'The client secret has expired. Create a new secret in Certificates & secrets and reconnect with it.',
  },
  '700016': {
    reason: 'unknown_application',
    message: 'No app with this Client ID exists in the tenant. Check the Client ID, the Tenant ID and the Environment (national cloud) of the app registration.',
  },
  '90002': {
    reason: 'unknown_tenant',
    message: 'The tenant was not found. Check the Tenant ID, and that the Environment matches the cloud the tenant lives in (Office 365, US Government or China).',
  },
  '70008': {
    reason: 'refresh_token_revoked',
    message: 'Reconnect required: Microsoft revoked or expired the refresh token (inactivity, password change or an administrator\'s revocation).',
  },
  '700082': {
    reason: 'refresh_token_revoked',
    message: 'Reconnect required: Microsoft expired the refresh token after a period of inactivity.',
  },
  '50173': {
    reason: 'refresh_token_revoked',
    message: 'Reconnect required: the grant was revoked by the user or an administrator.',
  },
  '50076': {
    reason: 'mfa_required',
    message: 'Reconnect required: Microsoft requires multi-factor authentication for this account (Conditional Access). Reconnect and complete the MFA prompt.',
  },
  '50011': {
    reason: 'redirect_uri_mismatch',
    message: 'The redirect URI is not registered on the app. Add this service\'s callback URL ({PUBLIC_URL}/api/v1/oauth/callback) as a Web redirect URI in the app registration.',
  },
  '7000218': {
    reason: 'client_secret_missing',
    message: 'The app requires a client secret or certificate. Enter the client secret.',
  },
  '65004': {
    reason: 'consent_declined',
    message: 'The user declined to consent to the app. Reconnect and accept the consent prompt.',
  },
};

export interface VendorMessage {
  /** Stable machine-readable reason for `disabledReason`. */
  reason: string;
  message: string;
  /** The vendor's own code (e.g. AADSTS70008) when it gave one. */
  vendorCode?: string;
}

export function explainAuthError(error: AuthProviderError): VendorMessage {
  const aadsts = error.codes.find((c) => AADSTS[c]) ?? /AADSTS(\d+)/.exec(error.description)?.[1];
  if (aadsts && AADSTS[aadsts]) return { ...AADSTS[aadsts], vendorCode: `AADSTS${aadsts}` };
  const vendorCode = aadsts ? `AADSTS${aadsts}` : undefined;
  const said = error.description ? ` The vendor said: ${firstLine(error.description)}` : '';
  switch (error.error) {
    case 'invalid_grant':
      return { reason: 'refresh_token_revoked', message: `Reconnect required: the vendor no longer accepts the connection's grant (invalid_grant).${said}`, ...(vendorCode ? { vendorCode } : {}) };
    case 'invalid_client':
      return { reason: 'invalid_client', message: `The vendor rejected the client credentials (invalid_client). Check the client ID and secret.${said}`, ...(vendorCode ? { vendorCode } : {}) };
    case 'unauthorized_client':
      return { reason: 'unauthorized_client', message: `The app is not allowed to use this grant (unauthorized_client).${said}`, ...(vendorCode ? { vendorCode } : {}) };
    case 'access_denied':
      return { reason: 'access_denied', message: `Access was denied at the vendor (access_denied).${said}`, ...(vendorCode ? { vendorCode } : {}) };
    case 'invalid_scope':
      return { reason: 'invalid_scope', message: `The vendor rejected the requested scopes (invalid_scope).${said}`, ...(vendorCode ? { vendorCode } : {}) };
    default:
      return { reason: error.error || 'vendor_error', message: `The vendor returned ${error.error || 'an error'}.${said}`, ...(vendorCode ? { vendorCode } : {}) };
  }
}

/** Microsoft appends trace and correlation ids on further lines; the first line is the message. */
function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]!.trim();
}
