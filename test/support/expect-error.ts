import type { Response as InjectResponse } from 'light-my-request';

/** Asserts the documented error shape (API.md) and returns the parsed body for more checks. */
export function expectErrorBody(res: InjectResponse, status: number, code: string): Record<string, unknown> {
  expect({ status: res.statusCode, body: res.body }).toEqual({ status, body: expect.any(String) });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body).toEqual(
    expect.objectContaining({ status, code, detail: expect.any(String), request_id: expect.any(String) }),
  );
  expect(body.request_id).toBe(res.headers['x-request-id']);
  const allowed = new Set(['status', 'code', 'detail', 'request_id', 'errors']);
  expect(Object.keys(body).filter((k) => !allowed.has(k))).toEqual([]);
  // Never a stack trace or a driver message.
  expect(res.body).not.toMatch(/\bat .+\.(js|ts):\d+|Mongo(Server)?Error|MongooseError|node_modules/);
  return body;
}
