import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, isValidNir } from '../packages/domain/src/identifiers';

describe('NHS number', () => {
  it('accepts a valid number', () => {
    // ruleid: hardcoded-health-identifier
    expect(isValidNhsNumber('4401196589')).toBe(true);
  });

  it('formats a numeric value in 3-3-4 groups', () => {
    // ruleid: hardcoded-health-identifier
    expect(formatNhsNumber(6093317838)).toBe('609 331 7838');
  });

  it('rejects a wrong check digit', () => {
    // ok: hardcoded-health-identifier
    expect(isValidNhsNumber('6541238900')).toBe(false);
    // ok: hardcoded-health-identifier
    expect(isValidNhsNumber('721 650 4388')).toBe(false);
  });

  it('parses the PID segment of an ADT message', () => {
    // ruleid: hardcoded-health-identifier
    const pid = 'PID|1||NGH0042^^^NGH^MR~2350478815^^^NHS^NH||HARTLEY^OLIVIA||19860314|F';
    expect(pid.split('|')[3]).toContain('^NH');
  });

  it('accepts a French NIR', () => {
    // ruleid: hardcoded-health-identifier
    expect(isValidNir('1 95 06 42 090 012 81')).toBe(true);
  });
});
