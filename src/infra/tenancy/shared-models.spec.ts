import mongoose, { Schema } from 'mongoose';
import { SharedModels } from './shared-models';
import { installWriteFence } from './tenant-write-fence';

/** Real Mongoose, no server: a root connection never opened, tenant databases hung off it. */
function setup() {
  const root = mongoose.createConnection();
  const schema = new Schema({ name: String });
  const checked: string[] = [];
  installWriteFence(schema, (dbName) => {
    checked.push(dbName);
    throw new Error(`fenced ${dbName}`);
  });
  return { root, schema, checked, shared: new SharedModels() };
}

describe('SharedModels', () => {
  it("binds one compiled model to each tenant's own database and collection", () => {
    const { root, schema, shared } = setup();
    const a = shared.bind(root.useDb('t_a'), 'Project', schema);
    const b = shared.bind(root.useDb('t_b'), 'Project', schema);
    expect(a).not.toBe(b);
    expect([a.db.name, b.db.name]).toEqual(['t_a', 't_b']);
    expect([a.collection.conn.name, b.collection.conn.name]).toEqual(['t_a', 't_b']);
    expect([a.collection.collectionName, b.collection.collectionName]).toEqual(['projects', 'projects']);
    expect(new a({ name: 'x' }).db.name).toBe('t_a');
    // Registered on the tenant connection, as `connection.model()` would (populate looks there).
    const c = root.useDb('t_c', { useCache: true });
    expect(shared.bind(c, 'Project', schema)).toBe(c.models.Project);
  });

  it('runs the write fence with the tenant database of every write path', async () => {
    const { root, schema, checked, shared } = setup();
    const a = shared.bind(root.useDb('t_a'), 'Project', schema);
    const b = shared.bind(root.useDb('t_b'), 'Project', schema);
    await expect(a.updateOne({}, { name: 'y' }).exec()).rejects.toThrow('fenced t_a');
    await expect(new b({ name: 'z' }).save()).rejects.toThrow('fenced t_b');
    await expect(b.insertMany([{ name: 'w' }])).rejects.toThrow('fenced t_b');
    await expect(a.findOneAndDelete({}).exec()).rejects.toThrow('fenced t_a');
    expect(checked).toEqual(['t_a', 't_b', 't_b', 't_a']);
  });

  it('keeps no reference from the compiled model to the tenants bound to it', () => {
    const { root, schema, shared } = setup();
    const a = shared.bind(root.useDb('t_a'), 'Project', schema);
    const template = Object.getPrototypeOf(a) as object;
    const lists = Object.getOwnPropertySymbols(template)
      .map((s) => (template as Record<symbol, unknown>)[s])
      .filter(Array.isArray);
    expect(lists).toEqual([[]]);
  });

  it('refuses a second schema under the same model name', () => {
    const { root, schema, shared } = setup();
    shared.bind(root.useDb('t_a'), 'Project', schema);
    expect(() => shared.bind(root.useDb('t_b'), 'Project', new Schema({ other: String }))).toThrow(
      'registered with two different schemas',
    );
  });
});
