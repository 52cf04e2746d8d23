/**
 * Strict email address validation for subscriptions: the dot-atom form of RFC 5322 with a DNS
 * host name. Quoted local parts, comments, IP literals, whitespace and control characters are
 * refused: an address goes into a mail header, and CR/LF there would inject headers.
 */

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
// atext of RFC 5322 §3.2.3 (the apostrophe and the plus sign included, both common).
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

export function checkEmailAddress(input: string): EmailCheck {
  if (input.length === 0) return { ok: false, reason: 'is empty' };
  if (input.length > MAX_ADDRESS) return { ok: false, reason: `is longer than ${MAX_ADDRESS} characters` };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(input)) return { ok: false, reason: 'contains whitespace or a control character' };
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) return { ok: false, reason: 'is not of the form name@domain' };
  const local = input.slice(0, at);
  const domain = input.slice(at + 1);
  if (local.length > MAX_LOCAL) return { ok: false, reason: `has a name longer than ${MAX_LOCAL} characters` };
  if (!LOCAL_PART.test(local)) return { ok: false, reason: 'has characters not allowed before the @ (quotes, comments, two dots…)' };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return { ok: false, reason: 'has no valid domain name after the @' };
  }
  if (!TOP_LEVEL.test(labels.at(-1)!)) return { ok: false, reason: 'has no valid top-level domain' };
  // Domains are case-insensitive; the local part is kept as written (RFC 5321 §2.4).
  return { ok: true, email: `${local}@${domain.toLowerCase()}` };
}
