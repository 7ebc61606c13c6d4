import { parseClusters } from './clusters-config';

describe('parseClusters (MONGODB_CLUSTERS)', () => {
  it('splits name=url pairs at commas before a name, keeping replica-set host lists whole', () => {
    const raw =
      'default=mongodb://a:27017,eu=mongodb://u:p@b1:27017,b2:27017/?replicaSet=rs0;us-2=mongodb+srv://c.example';
    expect(parseClusters(raw)).toEqual({
      clusters: [
        { name: 'default', url: 'mongodb://a:27017' },
        { name: 'eu', url: 'mongodb://u:p@b1:27017,b2:27017/?replicaSet=rs0' },
        { name: 'us-2', url: 'mongodb+srv://c.example' },
      ],
      problems: [],
    });
  });

  it('reports bad names, bad URLs, duplicates and a missing default without echoing URLs', () => {
    expect(parseClusters('EU=mongodb://secret@a').problems).toEqual([
      'MONGODB_CLUSTERS entry 1: the name must match [a-z0-9-]{1,32} (name=mongodb://...)',
    ]);
    expect(parseClusters('default=http://a;eu=mongodb://b').problems).toEqual([
      'MONGODB_CLUSTERS cluster "default": the URL must start with mongodb:// or mongodb+srv://',
    ]);
    expect(parseClusters('default=mongodb://a;default=mongodb://b').problems).toEqual([
      'MONGODB_CLUSTERS names cluster "default" twice',
    ]);
    expect(parseClusters('eu=mongodb://b').problems).toEqual([
      'MONGODB_CLUSTERS must name a "default" cluster (it holds the master database)',
    ]);
  });
});
