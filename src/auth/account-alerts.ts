/** Repeated wrong passwords have started a lock on an account's sign-in. */
export interface SignInSlowed {
  userId: string;
  /** Failures in a row that started it (LOGIN_MAX_FAILURES). */
  failures: number;
  /** The end of the first wait; each further failure doubles the wait, up to LOGIN_LOCK_MINUTES. */
  until: Date;
  /** The guesses came from networks the account has not signed in from (otherwise from one it has). */
  fromNewNetworks: boolean;
}

/**
 * What the owner of an account is told about it. Sign-in needs it, and e-mail comes after it in the
 * layers: src/notifications provides it (a global provider), so auth depends on nothing above itself.
 */
export abstract class AccountAlerts {
  /** Called in the transaction that records the lock, so the notice exists exactly when the lock does. */
  abstract signInSlowed(notice: SignInSlowed): Promise<void>;
}
