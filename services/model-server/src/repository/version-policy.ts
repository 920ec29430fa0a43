/** Which versions of a model are served: the newest N, all, or a listed set. */
export type VersionPolicy =
  { kind: 'latest'; count: number } | { kind: 'all' } | { kind: 'specific'; versions: number[] };

/** The versions a policy selects from those on disk (ascending). */
export function selectVersions(policy: VersionPolicy, onDisk: readonly number[]): number[] {
  const sorted = [...onDisk].sort((a, b) => a - b);
  switch (policy.kind) {
    case 'all':
      return sorted;
    case 'latest':
      return sorted.slice(Math.max(0, sorted.length - policy.count));
    case 'specific':
      return sorted.filter((v) => policy.versions.includes(v));
  }
}

/** The policy as ListModels reports it: "latest:1", "all", "specific:1,3". */
export function describeVersionPolicy(policy: VersionPolicy): string {
  switch (policy.kind) {
    case 'all':
      return 'all';
    case 'latest':
      return `latest:${policy.count}`;
    case 'specific':
      return `specific:${policy.versions.join(',')}`;
  }
}
