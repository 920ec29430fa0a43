import { status } from '@grpc/grpc-js';
import {
  DeadlineExceededError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  UnavailableError,
  UnimplementedError,
} from './errors';
import { toStatus } from './status-mapping';

describe('toStatus', () => {
  it.each([
    [
      new InvalidArgumentError('entities[2].keys.applicant_id', 'expected an int'),
      status.INVALID_ARGUMENT,
      'entities[2].keys.applicant_id: expected an int',
    ],
    [
      new NotFoundError('feature set', 'credit_riks'),
      status.NOT_FOUND,
      "feature set not found: 'credit_riks'",
    ],
    [
      new UnavailableError('online store (mysql)', 'connection refused'),
      status.UNAVAILABLE,
      'online store (mysql) unavailable: connection refused',
    ],
    [
      new ResourceExhaustedError('queue of credit_risk is full (4096)'),
      status.RESOURCE_EXHAUSTED,
      'queue of credit_risk is full (4096)',
    ],
    [new DeadlineExceededError('deadline passed'), status.DEADLINE_EXCEEDED, 'deadline passed'],
    [
      new UnimplementedError('/tally.model.v1.ScoringService/Score'),
      status.UNIMPLEMENTED,
      '/tally.model.v1.ScoringService/Score is not implemented yet',
    ],
  ])('maps %p', (err, code, details) => {
    expect(toStatus(err)).toEqual({ code, details });
  });

  it('keeps the code of an error relayed from a downstream gRPC call', () => {
    const downstream = Object.assign(new Error('3 INVALID_ARGUMENT: context.amount: required'), {
      code: status.INVALID_ARGUMENT,
      details: 'context.amount: required',
    });
    expect(toStatus(downstream)).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'context.amount: required',
    });
  });

  it('turns anything else into INTERNAL with its message', () => {
    expect(toStatus(new TypeError('x is undefined'))).toEqual({
      code: status.INTERNAL,
      details: 'internal error: x is undefined',
    });
    expect(toStatus('boom').code).toBe(status.INTERNAL);
  });
});
