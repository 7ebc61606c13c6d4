import type { MailTemplate } from './template';

/** Sent by POST /invitations: `link` carries the one-time token (accept-invitation). */
export const invitationTemplate: MailTemplate = {
  variables: ['tenant_name', 'inviter', 'role', 'link', 'expires_at'],
  subject: 'You are invited to join {{tenant_name}}',
  text: `Hello,

{{inviter}} invites you to join {{tenant_name}} as {{role}}.

Accept the invitation and choose your password here:
{{link}}

This link works once and expires at {{expires_at}}.
If you did not expect this invitation, ignore this mail.
`,
  html: `<!doctype html>
<html><body>
<p>Hello,</p>
<p>{{inviter}} invites you to join <strong>{{tenant_name}}</strong> as {{role}}.</p>
<p><a href="{{link}}">Accept the invitation and choose your password</a></p>
<p>This link works once and expires at {{expires_at}}.<br>If you did not expect this invitation, ignore this mail.</p>
</body></html>
`,
};
