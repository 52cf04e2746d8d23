import { describe, expect, it } from 'vitest';
import { embeddedIpv4, isPublicAddress } from '../../src/domain/network-ranges.js';

/**
 * IPv6 forms that carry an IPv4 address reach that address (through the kernel, a NAT64
 * gateway or a 6to4 relay): a webhook URL must be judged by the IPv4 inside, or
 * `http://[64:ff9b::a9fe:a9fe]/` walks past the block on 169.254.169.254.
 */
describe('IPv6 addresses that embed an IPv4 address', () => {
  it.each([
    // IPv4-mapped ::ffff:0:0/96, in every spelling
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['::FFFF:7F00:0001', '127.0.0.1'],
    ['0:0:0:0:0:ffff:7f00:1', '127.0.0.1'],
    ['0000:0000:0000:0000:0000:ffff:0a00:0001', '10.0.0.1'],
    ['::ffff:a9fe:a9fe', '169.254.169.254'],
    // IPv4-translated ::ffff:0:0:0/96
    ['::ffff:0:7f00:1', '127.0.0.1'],
    // NAT64 64:ff9b::/96
    ['64:ff9b::7f00:1', '127.0.0.1'],
    ['64:ff9b::10.0.0.1', '10.0.0.1'],
    ['64:ff9b::0808:0808', '8.8.8.8'],
    // 6to4 2002::/16: the IPv4 address is in bits 16–47, whatever follows
    ['2002:7f00:1::', '127.0.0.1'],
    ['2002:c0a8:0101:1::abcd', '192.168.1.1'],
    ['2002:0808:0808::1', '8.8.8.8'],
    // IPv4-compatible ::/96
    ['::127.0.0.1', '127.0.0.1'],
    ['::a00:1', '10.0.0.1'],
    ['::8.8.8.8', '8.8.8.8'],
  ])('reads %s as %s', (address, ipv4) => expect(embeddedIpv4(address)).toBe(ipv4));

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '64:ff9b:1::808:808', 'fe80::1', 'not-an-ip', '127.0.0.1', '::ffff:127.0.0.1%eth0'])(
    'finds no IPv4 address in %s',
    (address) => expect(embeddedIpv4(address)).toBeNull(),
  );

  it.each([
    // mapped
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '0:0:0:0:0:ffff:5db8:d822',
    // translated
    '::ffff:0:808:808',
    // NAT64
    '64:ff9b::8.8.8.8',
    '64:ff9b::5db8:d822',
    // 6to4
    '2002:808:808::1',
    '2002:5db8:d822:1::1',
    // compatible
    '::8.8.8.8',
    '[64:ff9b::808:808]',
  ])('allows %s, whose IPv4 address is public', (address) => expect(isPublicAddress(address)).toBe(true));

  it.each([
    // mapped: loopback, private, link-local (metadata), shared, reserved, multicast, unspecified
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:7f12:3456',
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:a00:1',
    '::ffff:ac10:1',
    '::ffff:c0a8:101',
    '::ffff:a9fe:a9fe',
    '::ffff:6440:1',
    '::ffff:f000:1',
    '::ffff:e000:1',
    '::ffff:0:0',
    // translated
    '::ffff:0:7f00:1',
    '::ffff:0:10.1.2.3',
    // NAT64, well-known prefix
    '64:ff9b::127.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::c0a8:101',
    '[64:ff9b::a9fe:a9fe]',
    // NAT64, local-use prefix: not globally reachable, whatever follows
    '64:ff9b:1::808:808',
    '64:ff9b:1:ffff::7f00:1',
    // 6to4
    '2002:7f00:1::',
    '2002:7f00:0001:abcd::1',
    '2002:a00:1::1',
    '2002:c0a8:101::1',
    '2002:a9fe:a9fe::1',
    '2002:ac10:1::',
    '2002::',
    // compatible
    '::127.0.0.1',
    '::7f00:1',
    '::10.0.0.1',
    '::a9fe:a9fe',
    '::1',
    '::',
    // a zone index names a local interface
    'fe80::1%eth0',
    '2606:4700:4700::1111%1',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));
});
