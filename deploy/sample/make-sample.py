#!/usr/bin/env python3
"""Writes the bundled sample that deploy/demo.sh feeds through the agent: pfctl rules and states in the
OpenBSD >= 4.5 / FreeBSD >= 9 format, and an Exim mainlog with verdicts for those addresses plus noise.
Deterministic, so the README's dig output stays true. Run it from this folder."""
import random

rng = random.Random(5782)
RULES = [
    "@0 match in all scrub (no-df)",
    "@1 block return log all",
    '@2 pass in quick on em0 inet proto tcp from any os "AIX" to any port = 25 flags S/SA keep state label "AIX"',
    '@3 pass in quick on em0 proto tcp from any os "Windows 2000 RFC1323" to any port = 25 flags S/SA keep state label "Windows 2000 RFC1323"',
    '@4 pass in quick on em0 proto tcp from any os "Windows 98 noSACK" to any port = 25 flags S/SA keep state label "Windows 98 noSACK"',
    '@5 pass in quick on em0 proto tcp from any os "Windows XP" to any port = 25 flags S/SA keep state label "Windows XP"',
    '@6 pass in quick on em0 proto tcp from any os "Linux 2.6" to any port = 25 flags S/SA keep state label "Linux 2.6"',
    '@7 pass in quick on em0 proto tcp from any os "FreeBSD" to any port = 25 flags S/SA keep state label "FreeBSD"',
    '@8 pass in quick on em0 proto tcp from any os "unknown" to any port = 25 flags S/SA keep state label "Unknown"',
    "@9 pass in quick on em0 proto tcp from any to any port = 25 flags S/SA keep state",
    "@10 pass out all flags S/SA keep state",
]
# label -> (rule, addresses, accepted, rejected) ; the ratios give the bands shown in the README
PLAN = {
    "AIX": (2, ["192.0.2.10", "192.0.2.11"], 3, 97),                      # 97 % -> 127.0.0.19
    "Windows 2000 RFC1323": (3, ["198.51.100.20"], 20, 10),               # 30 verdicts: rated by class Windows
    "Windows 98 noSACK": (4, ["198.51.100.21", "198.51.100.22"], 44, 56), # 56 % -> 127.0.0.15
    "Windows XP": (5, ["203.0.113.30", "2001:db8::30"], 24, 56),          # 70 % -> 127.0.0.17
    "Linux 2.6": (6, ["192.0.2.40", "192.0.2.41", "2001:db8::40"], 81, 19),  # 19 % -> 127.0.0.11
    "FreeBSD": (7, ["203.0.113.50"], 4, 1),                               # 5 verdicts, class too: 127.0.0.3
    "Unknown": (8, ["203.0.113.60"], 36, 24),                             # 40 % -> 127.0.0.14
}

def host(a, port):
    return f"{a}[{port}]" if ":" in a else f"{a}:{port}"

with open("pfctl-vvsr.txt", "w") as f:
    for r in RULES:
        f.write(r + "\n")
        f.write("  [ Evaluations: 1000      Packets: 5000      Bytes: 400000      States: 3     ]\n")
        f.write("  [ Inserted: uid 0 pid 4321 State Creations: 42    ]\n")

states = []
for label, (rule, addrs, _, _) in PLAN.items():
    for a in addrs:
        local = "2001:db8::25" if ":" in a else "192.0.2.25"
        states.append((f"all tcp {host(local, 25)} <- {host(a, rng.randint(1024, 65535))}       ESTABLISHED:ESTABLISHED", rule))
# a NAT'd (rdr) inbound state: the client is the address after the arrow
states.append(("all tcp 10.0.0.25:25 (192.0.2.25:25) <- 192.0.2.12:40001       ESTABLISHED:ESTABLISHED", 2))
# no observation: no os on the rule, outbound, UDP
states.append(("all tcp 192.0.2.25:25 <- 203.0.113.70:50000       ESTABLISHED:ESTABLISHED", 9))
states.append(("all tcp 192.0.2.25:41000 -> 198.51.100.99:25       ESTABLISHED:ESTABLISHED", 10))
states.append(("all udp 192.0.2.25:53 <- 198.51.100.98:5353       SINGLE:MULTIPLE", 10))
with open("pfctl-vvss.txt", "w") as f:
    for i, (line, rule) in enumerate(states):
        f.write(line + "\n")
        f.write("   [1096929984 + 1878983168] wscale 7  [1640271468 + 256] wscale 6\n")
        f.write(f"   age 00:01:{i:02d}, expires in 24:00:00, 12:10 pkts, 5000:1200 bytes, rule {rule}\n")
        f.write(f"   id: 6694fa62000000{i:02x} creatorid: a2e0f312\n")

lines = []
def stamp(i):
    return f"2026-11-20 {8 + i // 3600 % 12:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
def msgid(i):
    return f"1v{i % 1000:03d}a-{i:06d}-AB"
n = 0
for label, (_, addrs, acc, rej) in PLAN.items():
    for k in range(acc):
        a = addrs[k % len(addrs)]; n += 1
        lines.append(f"{stamp(n)} {msgid(n)} <= sender{n}@example.net H=mail{n}.example.net ({'helo' + str(n)}) [{a}]:{40000 + n} P=esmtp S={1000 + n} id=m{n}@example.net")
    for k in range(rej):
        a = addrs[k % len(addrs)]; n += 1
        if k % 3 == 0:
            lines.append(f"{stamp(n)} H=(bot{n}) [{a}]:{40000 + n} F=<spam{n}@example.com> rejected RCPT <user@example.org>: relay not permitted")
        elif k % 3 == 1:
            lines.append(f"{stamp(n)} {msgid(n)} H=host{n}.example.com [{a}]:{40000 + n} F=<spam{n}@example.com> rejected after DATA: spam score too high")
        else:
            lines.append(f"{stamp(n)} H=([10.1.2.3]) [{a}]:{40000 + n} rejected EHLO or HELO 10.1.2.3: IP literal not allowed")
# noise: local submission, deliveries, connection chatter
for i in range(20):
    n += 1
    lines.append(f"{stamp(n)} {msgid(n)} <= root@mail.example.org U=root P=local S=512")
    lines.append(f"{stamp(n)} {msgid(n)} => user@example.org R=local_user T=local_delivery")
    lines.append(f"{stamp(n)} {msgid(n)} Completed")
    lines.append(f"{stamp(n)} SMTP connection from [198.51.100.77]:5{i:04d} (TCP/IP connection count = 1)")
rng.shuffle(lines)
with open("exim-mainlog", "w") as f:
    f.write("\n".join(lines) + "\n")
