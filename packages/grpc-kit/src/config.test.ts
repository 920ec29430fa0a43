import { ConfigError, configTable, env, loadConfig } from './config';
import { serverConfigSpec } from './server-config';

const spec = serverConfigSpec({ grpcPort: 50051, metricsPort: 9101 });

describe('loadConfig', () => {
  it('applies defaults when variables are unset or empty', () => {
    const config = loadConfig(spec, { GRPC_PORT: '' });
    expect(config.GRPC_PORT).toBe(50051);
    expect(config.METRICS_PORT).toBe(9101);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('parses valid values', () => {
    const config = loadConfig(spec, { GRPC_PORT: '6000', LOG_LEVEL: 'debug', SHUTDOWN_GRACE_MS: '250' });
    expect(config).toMatchObject({ GRPC_PORT: 6000, LOG_LEVEL: 'debug', SHUTDOWN_GRACE_MS: 250 });
  });

  it.each([
    ['GRPC_PORT', 'abc'],
    ['GRPC_PORT', '70000'],
    ['GRPC_PORT', '-1'],
    ['GRPC_PORT', '80.5'],
    ['LOG_LEVEL', 'loud'],
    ['SHUTDOWN_GRACE_MS', '1e3'],
  ])('rejects %s=%s naming the variable and what it allows', (name, value) => {
    let error: unknown;
    try {
      loadConfig(spec, { [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(message).toContain('expected');
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig(spec, { GRPC_PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/GRPC_PORT[\s\S]*LOG_LEVEL/);
  });

  it('requires variables without a default', () => {
    const required = { STORE_URL: env.string('where the store is', undefined, 'a URL') };
    expect(() => loadConfig(required, {})).toThrow('STORE_URL is required: expected a URL');
  });

  it('renders a documentation table with every variable', () => {
    const table = configTable(spec);
    for (const name of Object.keys(spec)) expect(table).toContain(`\`${name}\``);
  });
});
