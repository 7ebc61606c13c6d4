import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ClusterConnections } from './cluster-connections.service';
import { MasterConnection } from './master-connection.service';
import { MasterIndexesService } from './master-indexes.service';
import { mongoConnectOptions } from './mongo-options';

/**
 * The master database through @nestjs/mongoose. `lazyConnection`: Nest does not wait for (nor
 * retry, then abort on) the first connection; MasterConnection awaits the first attempt and keeps
 * retrying in the background, so the service boots and serves /health while MongoDB is away.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        uri: config.mongodbUrl,
        ...mongoConnectOptions(config),
        lazyConnection: true,
        connectionFactory: (connection: Connection) => {
          // The first attempt's failure is handled by MasterConnection (asPromise); without this
          // catch it would also surface as an unhandled rejection.
          (connection as Connection & { $initialConnection?: Promise<unknown> }).$initialConnection?.catch(
            () => undefined,
          );
          return connection;
        },
      }),
    }),
  ],
  providers: [MasterConnection, MasterIndexesService, ClusterConnections],
  exports: [MasterConnection, MasterIndexesService, ClusterConnections],
})
export class DatabaseModule {}
