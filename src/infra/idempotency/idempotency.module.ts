import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyRecord, IdempotencyRecordSchema } from './idempotency-record.schema';
import { IdempotencyStore } from './idempotency.store';

/**
 * The store of idempotent responses, on the master database (its indexes are built with the
 * other master models). The HTTP app adds IdempotencyInterceptor as a global interceptor; the CLI
 * uses the store to purge expired records.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: IdempotencyRecord.name, schema: IdempotencyRecordSchema }])],
  providers: [IdempotencyStore],
  exports: [IdempotencyStore],
})
export class IdempotencyModule {}
