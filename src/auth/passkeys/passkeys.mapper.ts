import type { Passkey } from './passkey-rows';

/** A passkey as its owner sees it; the key and the credential id stay on the server. */
export const passkeyJson = (passkey: Passkey) => ({
  id: passkey.id,
  name: passkey.name,
  transports: passkey.transports,
  createdAt: passkey.createdAt,
  lastUsedAt: passkey.lastUsedAt,
});
