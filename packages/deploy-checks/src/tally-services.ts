/** The two deployable services and where each one's deployment artefacts live. */
export interface TallyService {
  /** Service name, also the compose service, the chart and the umbrella values section. */
  readonly name: 'feature-service' | 'model-server';
  /** Package folder, relative to the repository root. */
  readonly dir: string;
  /** Compiled entry point, relative to the repository root. */
  readonly main: string;
  readonly dockerfile: string;
  readonly readme: string;
  readonly chart: string;
}

function service(name: TallyService['name']): TallyService {
  const dir = `services/${name}`;
  return {
    name,
    dir,
    main: `${dir}/dist/main.js`,
    dockerfile: `${dir}/Dockerfile`,
    readme: `${dir}/README.md`,
    chart: `helm/${name}`,
  };
}

export const TALLY_SERVICES: readonly TallyService[] = [service('feature-service'), service('model-server')];

/** The umbrella chart that installs both services. */
export const UMBRELLA_CHART = 'helm/tally';

/**
 * Variables an image may set that are read by Node.js itself rather than by a service's config spec.
 * Anything else a Dockerfile, the compose file or a chart sets must be in the service's spec.
 */
export const NODE_RUNTIME_VARIABLES: readonly string[] = ['NODE_ENV'];
