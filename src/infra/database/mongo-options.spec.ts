import type { AppConfig } from '../config/app-config';
import { mongoConnectOptions } from './mongo-options';

describe('mongoConnectOptions', () => {
  it('bounds every wait on a stalled server by half the operation deadline (the driver retries once)', () => {
    const config = { masterDbName: 'm', mongoServerSelectionTimeoutMs: 2000, mongoMaxPoolSize: 100 } as AppConfig;
    const options = mongoConnectOptions({ ...config, mongoOperationTimeoutMs: 3001 });
    expect(options).toEqual(
      expect.objectContaining({
        socketTimeoutMS: 1501,
        connectTimeoutMS: 1501,
        waitQueueTimeoutMS: 1501,
        serverSelectionTimeoutMS: 2000,
        bufferCommands: false,
      }),
    );
    // Not the no-op option of this driver version (mongodb 7.8 warns that timeoutMS has no effect).
    expect(options).not.toHaveProperty('timeoutMS');
  });
});
