import { describe, expect, it } from 'vitest';
import { recordProblem } from './record-errors.js';

describe('recordProblem', () => {
  it('a constraint or data error is about the record, and names the column or constraint', () => {
    expect(recordProblem({ code: '23514', message: 'violates check constraint "land_parcel_area_check"', constraint: 'land_parcel_area_check' })).toEqual({
      code: 'CONSTRAINT_VIOLATED',
      reason: 'land_parcel_area_check: violates check constraint "land_parcel_area_check" [SQLSTATE 23514]',
    });
    expect(recordProblem({ code: '23502', message: 'null value', column: 'name' })?.reason).toMatch(/^name: /);
    expect(recordProblem({ code: '22P02', message: 'invalid input syntax' })?.code).toBe('DATA_INVALID');
  });

  it('anything else is not: connection lost, deadlock, a plain Error', () => {
    expect(recordProblem({ code: '57P01', message: 'terminating connection' })).toBeNull();
    expect(recordProblem({ code: '40P01', message: 'deadlock detected' })).toBeNull();
    expect(recordProblem(new Error('Connection terminated unexpectedly'))).toBeNull();
  });
});
