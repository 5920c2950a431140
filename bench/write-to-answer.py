#!/usr/bin/env python3
"""Time from an agent-style write (XADD of a one-fact batch entry to dnsfp:facts, as the agent's writer sends it) to the first DNS answer for it, over
COUNT writes while dnsperf loads the server. Prints p50 and p99 in milliseconds."""
import socket, struct, subprocess, sys, time, random
redis_port, dns_port, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
def query(name):
    q = struct.pack(">HHHHHH", rng.getrandbits(16), 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
r = socket.create_connection(("127.0.0.1", redis_port))
def xadd(ip, i):
    line = "\t".join([f"lat{i}-{ip}", "o", ip, "Linux 2.6", "Linux", str(int(time.time())), "2"]) + "\n"
    args = ["XADD", "dnsfp:facts", "*", "h", "bench", "f", line]
    r.sendall(("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)).encode())
    r.recv(100)
lat = []
for i in range(count):
    # not 10/8: private ranges are excluded from listing by default (Listing:ExcludeReserved)
    ip = "45.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    name = ".".join(reversed(ip.split("."))) + ".fp.example.org"
    t0 = time.perf_counter(); xadd(ip, i)
    while True:
        s.sendto(query(name), ("127.0.0.1", dns_port))
        try:
            data = s.recv(2048)
            if data[3] & 0xF == 0 and struct.unpack(">H", data[6:8])[0] > 0: break
        except socket.timeout: pass
        time.sleep(0.002)
    lat.append((time.perf_counter() - t0) * 1000)
lat.sort()
print("%.0f %.0f" % (lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]))
