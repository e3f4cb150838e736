import { resolve } from 'node:path';
import { validateEnvironment } from '../config/environment';
import { rotateKeyFile } from './signing-key-file';

/**
 * `npm run register:rotate-key`: replaces the register signing key generated in DATA_DIR with a new
 * one. Instances sign with it from their next start; the previous key stays published.
 */
async function rotate(): Promise<number> {
  const env = validateEnvironment(process.env);
  if (env.REGISTER_SIGNING_KEY) {
    console.error(
      'REGISTER_SIGNING_KEY is set, and it is used instead of the key file in DATA_DIR. To rotate, set it to a new key ' +
        '(openssl genpkey -algorithm ed25519) and restart every instance.',
    );
    return 2;
  }
  const { previous, next, retiredFile } = await rotateKeyFile(resolve(env.DATA_DIR));
  console.log(`New register signing key ${next.kid} in ${resolve(env.DATA_DIR)}.`);
  if (previous) console.log(`The previous key ${previous.kid} is kept as ${retiredFile}.`);
  console.log(
    'Restart every instance that uses this DATA_DIR: each signs with the new key from its next start and publishes it. ' +
      'The previous key stays in /.well-known/jwks.json, so what it signed can still be verified.',
  );
  return 0;
}

rotate()
  .then((code) => process.exit(code))
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
