import { AuthzPolicy } from './authz-policy';
import { TokenFile, hashToken } from './authz-tokens';
import { knownMethods } from './server-security';

const known = knownMethods();

describe('AuthzPolicy', () => {
  const policy = AuthzPolicy.parse(
    `callers:
  checkout:
    allow: [tally.model.v1.ScoringService/Score, tally.feature.v1.FeatureService/GetFeatureVectors]
  ingestion:
    allow: [/tally.feature.v1.FeatureService/WriteFeatureRows]
  platform:
    allow: [tally.model.v1.ScoringService/*, inference.GRPCInferenceService/*]
  admin:
    allow: ["*"]
  nobody:
    allow: []
`,
    known,
    'policy.yaml',
  );

  it.each([
    [['checkout'], '/tally.model.v1.ScoringService/Score', true],
    [['checkout'], '/tally.model.v1.ScoringService/LoadModel', false],
    [['checkout'], '/tally.feature.v1.FeatureService/WriteFeatureRows', false],
    [['ingestion'], '/tally.feature.v1.FeatureService/WriteFeatureRows', true],
    [['ingestion'], '/tally.model.v1.ScoringService/Score', false],
    [['platform'], '/tally.model.v1.ScoringService/UnloadModel', true],
    [['platform'], '/tally.feature.v1.FeatureService/WriteFeatureRows', false],
    [['admin'], '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', true],
    [['nobody'], '/tally.model.v1.ScoringService/Score', false],
    [['unlisted'], '/tally.model.v1.ScoringService/Score', false],
    [['unlisted', 'checkout'], '/tally.model.v1.ScoringService/Score', true],
  ])('%j calling %s: allowed %s', (names, path, allowed) => {
    expect(policy.decide(names, path).allowed).toBe(allowed);
  });

  it('says which listed name decided', () => {
    expect(policy.decide(['spiffe://x', 'checkout'], '/tally.model.v1.ScoringService/Score').listedAs).toBe(
      'checkout',
    );
    expect(policy.decide(['spiffe://x'], '/tally.model.v1.ScoringService/Score').listedAs).toBeUndefined();
  });

  it.each([
    [
      'callers:\n  a:\n    allow: [tally.model.v1.ScoringService/Scor]',
      "callers.a.allow[0]: tally.model.v1.ScoringService has no method 'Scor'",
    ],
    ['callers:\n  a:\n    allow: [tally.Nope/Score]', "callers.a.allow[0]: unknown service 'tally.Nope'"],
    ['callers:\n  a:\n    allow: [Score]', `callers.a.allow[0]: 'Score' is not "package.Service/Method"`],
    ['callers:\n  a:\n    allow: [1]', 'callers.a.allow[0]: expected a method'],
    ['callers:\n  a:\n    deny: []', 'callers.a.deny: unknown key'],
    ['callers:\n  a: [x]', 'callers.a: expected a mapping with an "allow" list'],
    ['callers:\n  a: {}', 'callers.a.allow: expected a list of methods'],
    ['rules: {}', 'rules: unknown key'],
    ['- a', '(file): expected a mapping'],
    ['callers: [', '(file): not valid YAML'],
  ])('refuses %j naming the file and field', (text, message) => {
    expect(() => AuthzPolicy.parse(text, known, 'policy.yaml')).toThrow(`policy.yaml: ${message}`);
  });
});

describe('TokenFile', () => {
  it('identifies a token by its SHA-256 and nothing else', () => {
    const tokens = TokenFile.parse(`# comment\n\ningestion sha256:${hashToken('s3cret-token')}\n`);
    expect(tokens.size).toBe(1);
    expect(tokens.identify('s3cret-token')).toBe('ingestion');
    expect(tokens.identify('s3cret-token ')).toBeUndefined();
    expect(tokens.identify(hashToken('s3cret-token'))).toBeUndefined();
  });

  it('names the file and line of a bad entry', () => {
    expect(() => TokenFile.parse('a sha256:abc\n', 'tokens')).toThrow(
      'tokens:1: expected "IDENTITY sha256:HEX"',
    );
    const h = hashToken('t');
    expect(() => TokenFile.parse(`a sha256:${h}\nb sha256:${h}\n`, 'tokens')).toThrow(
      "tokens:2: this token hash is already listed for 'a'",
    );
  });
});
