#!/usr/bin/env python3
"""Writes the benchmark data: N observations (95 % IPv4, 5 % IPv6, spread over the whole address space) as the
agent's TSV, and a dnsperf query file: 70 % listed, 30 % not, A and TXT mixed, IPv6 included."""
import random, sys, ipaddress
n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(5782)
labels = ["Linux 2.6", "Windows XP", "Windows 2000 RFC1323", "Windows 98 noSACK", "FreeBSD", "AIX", "Unknown", "Mac OS X", "Solaris 10", "OpenBSD"]
listed = []
with open(f"{out}/obs.tsv", "w") as f:
    for i in range(n):
        if i % 20 == 0:
            a = ipaddress.IPv6Address(rng.getrandbits(128) & ~(0xffff << 96) | (0x2001 << 112))
        else:
            a = ipaddress.IPv4Address(rng.randint(0x01000000, 0xDFFFFFFF))
        listed.append(a)
        f.write(f"{a}\t{rng.choice(labels)}\n")
def name(a):
    if a.version == 4:
        return ".".join(reversed(str(a).split("."))) + ".fp.example.org"
    return ".".join(reversed(a.exploded.replace(":", ""))) + ".fp.example.org"
with open(f"{out}/queries.txt", "w") as f:
    for i in range(200000):
        if rng.random() < 0.7:
            a = rng.choice(listed)
        elif rng.random() < 0.95:
            a = ipaddress.IPv4Address(rng.randint(0x01000000, 0xDFFFFFFF))
        else:
            a = ipaddress.IPv6Address(rng.getrandbits(128))
        f.write(f"{name(a)} {'A' if rng.random() < 0.6 else 'TXT'}\n")
