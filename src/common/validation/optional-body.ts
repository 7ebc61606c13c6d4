/** Marks a request DTO whose whole body may be left out (it is then validated as `{}`). */
const KEY = 'mt:optional-body';

export const OptionalBody = (): ClassDecorator => (target) => {
  Reflect.defineMetadata(KEY, true, target);
};

export function acceptsNoBody(metatype: unknown): boolean {
  return typeof metatype === 'function' && Reflect.getMetadata(KEY, metatype) === true;
}
