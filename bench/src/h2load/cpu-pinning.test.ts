import { cpuPlan } from './cpu-pinning';

describe('cpuPlan', () => {
  it('puts the servers and the load generator on separate cores', () => {
    expect(cpuPlan(2, true)).toMatchObject({ serverCpus: '0', generatorCpus: '1' });
    expect(cpuPlan(8, true)).toMatchObject({ serverCpus: '0-6', generatorCpus: '7' });
  });

  it('pins nothing on one core or without taskset, and says why', () => {
    expect(cpuPlan(1, true)).toMatchObject({
      serverCpus: undefined,
      description: 'not pinned: one CPU only',
    });
    expect(cpuPlan(4, false).description).toMatch(/taskset/);
  });
});
