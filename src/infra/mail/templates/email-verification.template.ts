import type { MailTemplate } from './template';

/** For sign-up and POST /auth/resend-verification: `link` carries the verification token. */
export const emailVerificationTemplate: MailTemplate = {
  variables: ['tenant_name', 'link', 'expires_at'],
  subject: 'Confirm your email for {{tenant_name}}',
  text: `Hello,

Confirm the email address of your {{tenant_name}} account here:
{{link}}

This link expires at {{expires_at}}.
If you did not create this account, ignore this mail.
`,
  html: `<!doctype html>
<html><body>
<p>Hello,</p>
<p>Confirm the email address of your <strong>{{tenant_name}}</strong> account:</p>
<p><a href="{{link}}">Confirm my email</a></p>
<p>This link expires at {{expires_at}}.<br>If you did not create this account, ignore this mail.</p>
</body></html>
`,
};
