import { defineErrorCodes } from '../../common/errors/module-error-codes';

/** The invitations' own error codes (INVALID_TOKEN, shared with password reset, is a platform code). */
export const InvitationsError = defineErrorCodes('INVITATION_NOT_FOUND', 'INVITATION_ACCEPTED');
