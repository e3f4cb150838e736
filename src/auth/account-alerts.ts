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

/** Someone asked for a password reset link for an account. */
export interface PasswordResetRequested {
  userId: string;
  resetId: string;
  /** The link's secret, which is stored nowhere but in the mail. */
  token: string;
  minutes: number;
}

/** A passkey was added to an account or removed from it. */
export interface PasskeyChanged {
  userId: string;
  passkeyId: string;
  /** The name its owner gave it. */
  name: string;
  change: 'added' | 'removed';
  at: Date;
}

/** A second factor was added to or removed from an account. */
export interface SecondFactorChanged {
  userId: string;
  method: 'totp' | 'passkey';
  change: 'added' | 'removed';
  at: Date;
}

/** A recovery code was spent, to sign in or to confirm an act. */
export interface RecoveryCodeUsed {
  userId: string;
  /** Unused codes left. */
  left: number;
  at: Date;
}

/** A link that proves an address: the account's own, or the new one it asked to change to. */
export interface EmailVerificationRequested {
  verificationId: string;
  /** The address the link proves, and the only one it is sent to. */
  email: string;
  /** The link's secret, which is stored nowhere but in the mail. */
  token: string;
  hours: number;
  /** The address is a new one for an account that has another: the mail says the change waits for it. */
  change: boolean;
}

/** The account's address was changed, once the new one was proven; the old address is told. */
export interface EmailChanged {
  userId: string;
  oldEmail: string;
  newEmail: string;
  at: Date;
}

/**
 * What the owner of an account is told about it. Sign-in needs it, and e-mail comes after it in the
 * layers: src/notifications provides it (a global provider), so auth depends on nothing above itself.
 */
export abstract class AccountAlerts {
  /** Called in the transaction that records the lock, so the notice exists exactly when the lock does. */
  abstract signInSlowed(notice: SignInSlowed): Promise<void>;
  /** Sends the link that sets a new password; called in the transaction that stores the link's hash. */
  abstract passwordResetRequested(notice: PasswordResetRequested): Promise<void>;
  /** Tells the owner that the password was changed through a reset link, in case it was not them. */
  abstract passwordReset(notice: { userId: string; at: Date }): Promise<void>;
  /** Tells a person the operator suspended their account, and why, so that they know whom to ask. */
  abstract accountSuspended(notice: { userId: string; reason: string; at: Date }): Promise<void>;
  /** Tells a person their account works again. */
  abstract accountReactivated(notice: { userId: string; at: Date }): Promise<void>;
  /** Tells the owner a passkey was added or removed, in case it was not them; in the transaction that did it. */
  abstract passkeyChanged(notice: PasskeyChanged): Promise<void>;
  /** Tells the owner a factor was added or removed, in case it was not them; in the transaction that did it. */
  abstract secondFactorChanged(notice: SecondFactorChanged): Promise<void>;
  /** Tells the owner a recovery code was used, and how many are left; in the transaction that spent it. */
  abstract recoveryCodeUsed(notice: RecoveryCodeUsed): Promise<void>;
  /** Sends the link that proves an address; called in the transaction that stores the link's hash. */
  abstract emailVerificationRequested(notice: EmailVerificationRequested): Promise<void>;
  /** Tells the old address that the account now uses another one, in case it was not its owner's doing. */
  abstract emailChanged(notice: EmailChanged): Promise<void>;
}
