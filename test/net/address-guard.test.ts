import { describe, expect, it } from 'vitest';
import { embeddedIpv4, ipv6Bytes, isLoopbackAddress, isPrivateAddress } from '../../src/net/address-guard.js';

describe('SSRF guard: IPv6 forms that carry an IPv4 address', () => {
  const privateForms = [
    // IPv4-compatible, dotted and hex tails
    '::127.0.0.1', '::7f00:1', '0:0:0:0:0:0:7f00:1', '::a00:1', '::c0a8:101',
    // IPv4-mapped in every spelling
    '::ffff:127.0.0.1', '::FFFF:7F00:1', '0:0:0:0:0:ffff:7f00:0001', '0000:0000:0000:0000:0000:ffff:10.0.0.1', '::ffff:169.254.169.254',
    // IPv4-translated (SIIT)
    '::ffff:0:127.0.0.1', '::ffff:0:a9fe:a9fe',
    // NAT64, well-known prefix and local-use prefix
    '64:ff9b::127.0.0.1', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b::c0a8:0101', '64:ff9b:1::8.8.8.8', '64:ff9b:1:abcd::1',
    // 6to4 of 127.0.0.1, 10.0.0.1, 192.168.1.1
    '2002:7f00:1::', '2002:7f00:0001:0:0:0:0:1', '2002:a00:1::1', '2002:c0a8:101::',
    // Teredo: client 127.0.0.1 (obfuscated ~7f000001 = 80fffffe), public server 65.54.227.120
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
    // Teredo: client 192.168.1.1 obfuscated (3f57:fefe)
    '2001::4136:e378:0:0:3f57:fefe',
    // plain private IPv6 and zone indexes
    '::1', '::', 'fe80::1%eth0', 'fd00::1', '2001:db8::1', '100::1',
  ];
  it.each(privateForms)('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  const publicForms = [
    '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::8.8.8.8', '2002:808:808::1',
    // Teredo with public server and public client 8.8.8.8 (obfuscated f7f7:f7f7)
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ];
  it.each(publicForms)('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('reads the embedded IPv4 address of each form', () => {
    const embedded = (a: string): string[] => embeddedIpv4(ipv6Bytes(a)!);
    expect(embedded('::7f00:1')).toEqual(['127.0.0.1']);
    expect(embedded('::ffff:0a00:0001')).toEqual(['10.0.0.1']);
    expect(embedded('64:ff9b::c0a8:101')).toEqual(['192.168.1.1']);
    expect(embedded('2002:c0a8:101::')).toEqual(['192.168.1.1']);
    expect(embedded('2001:0:4136:e378:8000:63bf:80ff:fffe')).toEqual(['127.0.0.1', '65.54.227.120']);
    expect(embedded('2606:4700::1')).toEqual([]);
  });

  it('parses every spelling to the same bytes and rejects malformed text', () => {
    const a = ipv6Bytes('::ffff:127.0.0.1');
    expect(ipv6Bytes('0:0:0:0:0:FFFF:7f00:1')).toEqual(a);
    expect(ipv6Bytes('::ffff:7f00:0001')).toEqual(a);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '::ffff:300.0.0.1', '12345::', '1:2:3:4:5:6:7']) expect(ipv6Bytes(bad)).toBeNull();
  });

  it('knows loopback in its mapped spellings', () => {
    expect(isLoopbackAddress('::ffff:7f00:1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('127.9.9.9')).toBe(true);
    expect(isLoopbackAddress('::2')).toBe(false);
  });
});
