import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, login, createUser } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { adminAgent } from './admin/admin-helpers.js';

/**
 * One visibility rule, every place that reads communications answers the same set: a communication is hidden
 * while its contact or its opportunity is soft-deleted, and comes back with the restore. Tasks and LP profiles
 * have no such rule: they stay listed with a deleted contact or opportunity (an LP commitment stands).
 */

const WORD = 'zephyrine';

interface Seed {
  vera: string;
  ben: string;
  deal: string;
  /** c1: Vera only; c2: Vera and the deal; c3: Ben and the deal. */
  comms: Record<'c1' | 'c2' | 'c3', string>;
  tasks: string[];
  lp: string;
}

interface Row {
  id: string;
  type?: string;
}

/** The parts of the answers read here: a list, or a detail with its communications. */
interface Body {
  data: Row[] & { communications: Row[]; communicationsTotal: number; recentCommunications: Row[] };
  total: number;
}

/** What one place shows: the seeded communication ids it answers, among those in its scope. */
interface Place {
  name: string;
  /** The seeded communications this place would show if all were visible. */
  scope: (s: Seed) => string[];
  read: (s: Seed) => Promise<string[]>;
}

describe('visibility of communications, tasks and LP profiles with a deleted contact or opportunity', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let backOffice: TestAgent;
  const s = {} as Seed;

  const api = (path: string) => t.http.get(path).set(admin.auth);
  const body = async (path: string): Promise<{ status: number; body: Body }> => {
    const res = await api(path);
    expect([200, 404]).toContain(res.status);
    return res;
  };
  const post = async (path: string, data: Record<string, unknown>): Promise<string> =>
    (await t.http.post(path).set(admin.auth).send(data).expect(201)).body.data.id as string;
  const ids = (rows: Row[]) => rows.map((r) => r.id);
  const all = () => Object.values(s.comms);

  const places: Place[] = [
    {
      name: 'GET /api/communications',
      scope: all,
      read: async () => ids((await body(`/api/communications?search=${WORD}&limit=100`)).body.data),
    },
    {
      name: 'GET /api/communications/:id',
      scope: all,
      read: async () => {
        const found = await Promise.all(
          all().map(async (id) => ((await body(`/api/communications/${id}`)).status === 200 ? id : '')),
        );
        return found.filter(Boolean);
      },
    },
    ...[['Vera', 'vera'] as const, ['Ben', 'ben'] as const].flatMap(([who, key]): Place[] => {
      const scope = (x: Seed) => (key === 'vera' ? [x.comms.c1, x.comms.c2] : [x.comms.c3]);
      return [
        {
          name: `GET /api/contacts/:id/communications (${who})`,
          scope,
          read: async (x) => {
            const res = await body(`/api/contacts/${x[key]}/communications?limit=100`);
            if (res.status === 404) return [];
            expect(res.body.total).toBe(res.body.data.length);
            return ids(res.body.data);
          },
        },
        {
          name: `GET /api/contacts/:id, list and count (${who})`,
          scope,
          read: async (x) => {
            const res = await body(`/api/contacts/${x[key]}`);
            if (res.status === 404) return [];
            expect(res.body.data.communicationsTotal).toBe(res.body.data.communications.length);
            return ids(res.body.data.communications);
          },
        },
      ];
    }),
    {
      name: 'GET /api/opportunities/:id, list and count',
      scope: (x) => [x.comms.c2, x.comms.c3],
      read: async (x) => {
        const res = await body(`/api/opportunities/${x.deal}`);
        if (res.status === 404) return [];
        expect(res.body.data.communicationsTotal).toBe(res.body.data.communications.length);
        return ids(res.body.data.communications);
      },
    },
    {
      name: 'GET /api/search',
      scope: all,
      read: async () => {
        const hits = (await body(`/api/search?q=${WORD}&limit=50`)).body.data as {
          type: string;
          id: string;
        }[];
        return ids(hits.filter((h) => h.type === 'communication'));
      },
    },
    {
      name: 'GET /api/reports/dashboard, recent communications',
      scope: all,
      read: async () => ids((await body('/api/reports/dashboard')).body.data.recentCommunications),
    },
    {
      name: 'GET /api/export/communications',
      scope: all,
      read: async () => ids((await api('/api/export/communications?format=json').expect(200)).body),
    },
    {
      name: 'back office: Communication list',
      scope: all,
      read: async () => {
        const res = await backOffice
          .get(`/admin/api/resources/Communication/actions/list?perPage=100&filters.subject=${WORD}`)
          .expect(200);
        expect(res.body.meta.total).toBe(res.body.records.length);
        return ids(res.body.records as { id: string }[]);
      },
    },
  ];

  /** Each place's answer against "visible = in its scope and not hidden". */
  const expectEveryPlace = async (hidden: string[]) => {
    for (const place of places) {
      const expected = place.scope(s).filter((id) => !hidden.includes(id));
      const seen = (await place.read(s)).filter((id) => all().includes(id));
      expect({ place: place.name, ids: [...seen].sort() }).toEqual({
        place: place.name,
        ids: [...expected].sort(),
      });
    }
  };

  /** Tasks and LP profiles stay readable and listed whatever is deleted. */
  const expectTasksAndLpProfilesListed = async () => {
    const tasks = ids((await api(`/api/tasks?search=${WORD}&limit=100`).expect(200)).body.data);
    expect(tasks.sort()).toEqual([...s.tasks].sort());
    for (const id of s.tasks) await api(`/api/tasks/${id}`).expect(200);
    const lps = ids((await api(`/api/lp-profiles?contactId=${s.vera}`).expect(200)).body.data);
    expect(lps).toEqual([s.lp]);
    await api(`/api/lp-profiles/${s.lp}`).expect(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    const user = await createUser(t, Role.Admin);
    admin = await login(t, user);
    backOffice = await adminAgent(t, user);
    s.vera = await post('/api/contacts', { firstName: 'Vera', lastName: 'Lind' });
    s.ben = await post('/api/contacts', { firstName: 'Ben', lastName: 'Ode' });
    s.deal = await post('/api/opportunities', { name: 'Lind — Fund I', contactId: s.vera });
    const comm = (n: number, links: Record<string, string>) =>
      post('/api/communications', {
        type: 'call',
        subject: `${WORD} call ${n}`,
        communicationDate: `2031-01-0${n}T12:00:00Z`,
        ...links,
      });
    s.comms = {
      c1: await comm(1, { contactId: s.vera }),
      c2: await comm(2, { contactId: s.vera, opportunityId: s.deal }),
      c3: await comm(3, { contactId: s.ben, opportunityId: s.deal }),
    };
    s.tasks = [
      await post('/api/tasks', { title: `${WORD} follow up`, contactId: s.vera }),
      await post('/api/tasks', { title: `${WORD} send terms`, opportunityId: s.deal }),
    ];
    const fund = await post('/api/funds', { name: 'Visibility Fund I', currency: 'USD' });
    s.lp = await post('/api/lp-profiles', { contactId: s.vera, fundId: fund, commitmentAmount: 100000 });
  });

  afterAll(async () => {
    await t.close();
  });

  it('with everything live, every place answers every communication in its scope', async () => {
    await expectEveryPlace([]);
    await expectTasksAndLpProfilesListed();
  });

  it('a deleted contact hides its communications everywhere, and they come back with the restore', async () => {
    await t.http.delete(`/api/contacts/${s.vera}`).set(admin.auth).expect(204);
    await expectEveryPlace([s.comms.c1, s.comms.c2]);
    await expectTasksAndLpProfilesListed();
    await t.http.post(`/api/contacts/${s.vera}/restore`).set(admin.auth).expect(200);
    await expectEveryPlace([]);
  });

  it('a deleted opportunity hides its communications everywhere, and they come back with the restore', async () => {
    await t.http.delete(`/api/opportunities/${s.deal}`).set(admin.auth).expect(204);
    await expectEveryPlace([s.comms.c2, s.comms.c3]);
    await expectTasksAndLpProfilesListed();
    await t.http.post(`/api/opportunities/${s.deal}/restore`).set(admin.auth).expect(200);
    await expectEveryPlace([]);
    await expectTasksAndLpProfilesListed();
  });
});
