import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../src/http/client-address.js';

describe('client address keys', () => {
  it('keeps IPv4 addresses, unwrapping IPv4-mapped IPv6', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('keys IPv6 by its /64, however the address is written', () => {
    expect(addressKey('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::203.0.113.9')).toBe('64:ff9b:0:0::/64');
  });

  it('refuses anything that is not an address', () => {
    for (const value of [undefined, '', 'unknown', 'x'.repeat(8192), '203.0.113.9, 10.0.0.1', '1.2.3.4.5', '2001:db8::/64', ' 203.0.113.9']) {
      expect(addressKey(value)).toBeNull();
    }
  });
});
