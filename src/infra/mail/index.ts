/**
 * What modules may use of mail (lint lets every module import this file): queue a mail with
 * MailOutbox.enqueue; the sender delivers it. docs/mail.md explains the outbox.
 */
export { MailOutbox, type MailRequest, type MailConfirmation } from './mail-outbox.service';
export type { MailTemplateName } from './templates';
