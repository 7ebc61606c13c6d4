import { Types } from 'mongoose';

/** True for a 24-hex ObjectId string; anything else is answered 404 before reaching the database. */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value) && Types.ObjectId.isValid(value);
}

export function newId(): Types.ObjectId {
  return new Types.ObjectId();
}

/** An ObjectId from a string already validated with isObjectId. */
export function toObjectId(id: string): Types.ObjectId {
  return new Types.ObjectId(id);
}
