import { SetMetadata } from '@nestjs/common';

export const WITHOUT_TRANSACTION = 'adhere:without-transaction';

/**
 * The handler opens its own transactions. Used where work must follow a commit, such as starting a
 * session once the account it belongs to exists, and by health probes that must not hold a connection.
 */
export const WithoutTransaction = () => SetMetadata(WITHOUT_TRANSACTION, true);
