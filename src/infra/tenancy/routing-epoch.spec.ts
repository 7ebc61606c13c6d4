import type { Connection } from 'mongoose';
import { RoutingEpoch } from './routing-epoch';

/** A master whose epoch document the test sets (the poll reads it, bump increments it). */
function fakeMaster(): { connection: () => Connection; doc: { n?: number } } {
  const state: { n?: number } = {};
  const collection = {
    findOne: () => Promise.resolve(state.n === undefined ? null : { _id: 'epoch', n: state.n }),
    updateOne: () => {
      state.n = (state.n ?? 0) + 1;
      return Promise.resolve();
    },
  };
  return { connection: () => ({ collection: () => collection }) as unknown as Connection, doc: state };
}

describe('RoutingEpoch', () => {
  it('confirms nothing before its first poll', () => {
    const epoch = new RoutingEpoch(fakeMaster().connection);
    expect(epoch.confirms(epoch.seq, 2000)).toBe(false);
  });

  it('confirms a route read under the current epoch for the TTL after the last poll', async () => {
    const epoch = new RoutingEpoch(fakeMaster().connection);
    await epoch.poll();
    const seq = epoch.seq;
    const polledAt = Date.now();
    expect(epoch.confirms(seq, 2000, polledAt + 1000)).toBe(true);
    expect(epoch.confirms(seq, 2000, polledAt + 2500)).toBe(false); // no poll since: lapsed
    await epoch.poll(); // unchanged: confirmed again from this poll
    expect(epoch.confirms(seq, 2000, Date.now() + 1000)).toBe(true);
  });

  it('stops confirming routes read before a change once a poll sees it', async () => {
    const master = fakeMaster();
    const epoch = new RoutingEpoch(master.connection);
    await epoch.poll();
    const before = epoch.seq;
    await epoch.bump(); // a move changed a route
    expect(epoch.confirms(before, 2000)).toBe(true); // not seen yet: only until the TTL lapses
    await epoch.poll();
    expect(epoch.confirms(before, 2000)).toBe(false);
    expect(epoch.confirms(epoch.seq, 2000)).toBe(true); // routes read from now on
  });

  it('treats its first reading as a change (a route read before it may predate a bump)', async () => {
    const master = fakeMaster();
    master.doc.n = 7;
    const epoch = new RoutingEpoch(master.connection);
    const atBoot = epoch.seq;
    await epoch.poll();
    expect(epoch.confirms(atBoot, 2000)).toBe(false);
  });
});
