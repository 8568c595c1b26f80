import type { AuthTypeDefinition } from './types.ts';

export interface CredentialField {
  key: string;
  /** Whether the field must be a secret (type secret, or secret: true). */
  secret: boolean;
  /** Whether the field must be declared (optional credentials are used only when present). */
  required: boolean;
}

/**
 * The well-known connection fields an auth type reads its credentials from. Convention over mapping:
 * the runtime reads values.clientId etc. directly, and the validator checks each definition declares
 * them (and marks the secret ones secret), so a definition cannot silently leak or miss a credential.
 */
export function credentialFields(auth: AuthTypeDefinition): CredentialField[] {
  const must = (key: string, secret: boolean): CredentialField => ({ key, secret, required: true });
  switch (auth.type) {
    case 'oauth2-authorization-code':
    case 'none':
      // The operator's app credentials live in server settings, not on connections.
      return [];
    case 'oauth2-byoa':
      return auth.oauth2.clientAuthentication === 'none'
        ? [must('clientId', false)]
        : [must('clientId', false), must('clientSecret', true)];
    case 'oauth2-client-credentials':
      return [must('clientId', false), must('clientSecret', true)];
    case 'client-certificate':
      return [must('clientId', false), must('privateKey', true), must('certificateThumbprint', false)];
    case 'api-key':
      return [must('apiKey', true)];
    case 'personal-access-token':
      return [must('token', true)];
    case 'jwt-bearer':
      return [must('privateKey', true)];
    case 'aws-sigv4':
      return [must('accessKeyId', false), must('secretAccessKey', true), { key: 'sessionToken', secret: true, required: false }];
    case 'oauth1':
      return auth.oauth1.signatureMethod === 'RSA-SHA1'
        ? [must('consumerKey', false), must('privateKey', true)]
        : [must('consumerKey', false), must('consumerSecret', true)];
    case 'basic': {
      // Custom username/password templates name their own fields; the placeholder check covers them.
      const fields: CredentialField[] = [];
      if (auth.basic?.username === undefined) fields.push(must('username', false));
      if (auth.basic?.password === undefined) fields.push(must('password', true));
      return fields;
    }
  }
}
