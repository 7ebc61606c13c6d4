import { emailVerificationTemplate } from './email-verification.template';
import { invitationTemplate } from './invitation.template';
import { passwordResetTemplate } from './password-reset.template';
import type { MailTemplate } from './template';

/**
 * Every mail the service sends, by name. A new mail: a `<name>.template.ts` beside these, one line
 * here. The name is stored with each queued mail, so renaming one strands what is queued: add.
 */
export const MAIL_TEMPLATES = {
  invitation: invitationTemplate,
  'password-reset': passwordResetTemplate,
  'email-verification': emailVerificationTemplate,
} as const satisfies Record<string, MailTemplate>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export function isMailTemplateName(name: string): name is MailTemplateName {
  return Object.hasOwn(MAIL_TEMPLATES, name);
}
