import { gatewayError } from './errors.js';

/** U+0000–U+001F and U+007F as RegExp-source escapes, so that no regex literal spells out a control character. */
const ASCII_CONTROLS = String.raw`\u0000-\u001f\u007f`;

/**
 * Input checks done before any upstream call, where Openfire would answer an opaque 500 (invalid JID parts in a
 * path are unmapped exceptions upstream, openfire-rest-api.md §6).
 */
const INVALID_NODE = new RegExp(String.raw`[\s"&'/:<>@${ASCII_CONTROLS}]`, 'u');

/** `.` and `..` are valid JID nodes, but as REST path segments they would address another resource. */
const DOTS = /^\.\.?$/;

/** A username (a JID node): non-empty, none of the characters nodeprep prohibits, not `.` or `..`. */
export function username(value: string, argument = 'username'): string {
  if (DOTS.test(value))
    throw gatewayError('BAD_USER_INPUT', `"${argument}" cannot be "." or "..", which no REST path can address`);
  if (value === '' || INVALID_NODE.test(value)) {
    throw gatewayError('BAD_USER_INPUT', `"${argument}" is not a valid username (no spaces or "&'/:<>@ allowed)`);
  }
  return value;
}

/** A room name: the same rules as a username (it is a JID node too). */
export function roomName(value: string, argument = 'name'): string {
  if (DOTS.test(value))
    throw gatewayError('BAD_USER_INPUT', `"${argument}" cannot be "." or "..", which no REST path can address`);
  if (value === '' || INVALID_NODE.test(value)) {
    throw gatewayError('BAD_USER_INPUT', `"${argument}" is not a valid room name (no spaces or "&'/:<>@ allowed)`);
  }
  return value;
}

/** A JID: a non-empty value without whitespace; its parts are checked by Openfire. */
export function jid(value: string, argument = 'jid'): string {
  if (value === '' || /\s/.test(value)) throw gatewayError('BAD_USER_INPUT', `"${argument}" is not a valid JID`);
  return value;
}

/** A non-empty name (groups, services, properties). */
export function nonEmpty(value: string, argument: string): string {
  if (value.trim() === '') throw gatewayError('BAD_USER_INPUT', `"${argument}" must not be empty`);
  return value;
}
