/** A tenant domain: lower-case letters and digits separated by single hyphens. */
export const DOMAIN_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `Example Organization` -> `example-organization`; what a tenant domain is made of on sign-up. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
}
