import { defineErrorCodes } from '../../common/errors/module-error-codes';

/** The projects module's own error codes (documented in the OpenAPI `ErrorCode` enum). */
export const ProjectsError = defineErrorCodes('PROJECT_NOT_FOUND');
