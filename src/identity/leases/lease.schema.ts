import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Master database: short-lived mutual-exclusion leases (see LeaseService). Only `_id` is ever
 * queried or relied on for uniqueness, so no secondary index (and a point lookup on FerretDB).
 */
@Schema({ collection: 'leases', versionKey: false })
export class Lease {
  /** `<key>` for a held lease, `<key>#end:<owner>:<level>` for the marker that ends one holder's tenure. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** Random per acquisition: who holds the lease (or whose tenure a marker ends). */
  @Prop({ type: String, required: true })
  owner!: string;

  /** After this, a crashed holder's lease may be taken over. */
  @Prop({ type: Date, required: true })
  expires_at!: Date;
}

export const LeaseSchema = SchemaFactory.createForClass(Lease);
