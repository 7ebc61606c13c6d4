import 'reflect-metadata';
import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG, routeFlag } from './route-flag.decorator';

class Handlers {
  @routeFlag('a')
  @routeFlag('b')
  both(): void {}

  @RouteConfig({ fromNest: true })
  nest(): void {}
}

describe('routeFlag', () => {
  it('writes where @RouteConfig of @nestjs/platform-fastify writes (the key the adapter reads)', () => {
    expect(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG, Handlers.prototype.nest)).toEqual({ fromNest: true });
  });

  it('keeps the flags of every decorator on the handler', () => {
    expect(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG, Handlers.prototype.both)).toEqual({ a: true, b: true });
  });
});
