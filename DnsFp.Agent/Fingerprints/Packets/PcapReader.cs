using System.Buffers.Binary;

namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>
/// Reads the frames of a capture file: classic pcap (microsecond or nanosecond, either byte order) as tcpdump and
/// p0f write it, and pcapng (section, interface, enhanced and simple packet blocks) as Wireshark and dumpcap do.
/// A file that is neither, or a block that runs past the end, stops the read with an <see cref="InvalidDataException"/>
/// that says where.
/// </summary>
internal static class PcapReader
{
    public static IEnumerable<CapturedFrame> Read(Stream stream)
    {
        var magic = new byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4) throw new InvalidDataException("not a capture file: shorter than a pcap header");
        uint m = BinaryPrimitives.ReadUInt32LittleEndian(magic);
        return m switch
        {
            0xA1B2C3D4 or 0xA1B23C4D => ReadClassic(stream, littleEndian: true),
            0xD4C3B2A1 or 0x4D3CB2A1 => ReadClassic(stream, littleEndian: false),
            0x0A0D0D0A => ReadNg(stream),
            _ => throw new InvalidDataException($"not a pcap or pcapng file (magic 0x{m:x8})"),
        };
    }

    private static IEnumerable<CapturedFrame> ReadClassic(Stream stream, bool littleEndian)
    {
        var header = new byte[20];
        if (stream.ReadAtLeast(header, 20, throwOnEndOfStream: false) < 20) throw new InvalidDataException("truncated pcap file header");
        int linkType = (int)(U32(header.AsSpan(16), littleEndian) & 0x0FFFFFFF);
        var record = new byte[16];
        for (long number = 1; ; number++)
        {
            int got = stream.ReadAtLeast(record, 16, throwOnEndOfStream: false);
            if (got == 0) yield break;
            if (got < 16) throw new InvalidDataException($"packet {number}: truncated record header");
            uint captured = U32(record.AsSpan(8), littleEndian);
            if (captured > 262_144) throw new InvalidDataException($"packet {number}: captured length {captured} is not plausible");
            var data = new byte[captured];
            if (stream.ReadAtLeast(data, (int)captured, throwOnEndOfStream: false) < captured)
                throw new InvalidDataException($"packet {number}: the file ends inside the packet");
            yield return new CapturedFrame(linkType, number, data);
        }
    }

    private static IEnumerable<CapturedFrame> ReadNg(Stream stream)
    {
        var interfaces = new List<int>();
        bool littleEndian = true;
        bool first = true;
        long number = 0;
        var head = new byte[8];
        while (true)
        {
            if (first) { BinaryPrimitives.WriteUInt32LittleEndian(head, 0x0A0D0D0A); if (stream.ReadAtLeast(head.AsMemory(4).Span, 4, false) < 4) throw new InvalidDataException("truncated pcapng header"); first = false; }
            else
            {
                int got = stream.ReadAtLeast(head, 8, throwOnEndOfStream: false);
                if (got == 0) yield break;
                if (got < 8) throw new InvalidDataException($"pcapng: truncated block after packet {number}");
            }
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (type == 0x0A0D0D0A)
            {
                // Section header: its byte-order magic decides how everything in the section is read.
                var bom = new byte[4];
                if (stream.ReadAtLeast(bom, 4, false) < 4) throw new InvalidDataException("pcapng: truncated section header");
                littleEndian = BinaryPrimitives.ReadUInt32LittleEndian(bom) == 0x1A2B3C4D;
                interfaces.Clear();
                uint sectionLength = U32(head.AsSpan(4), littleEndian);
                Skip(stream, sectionLength - 12);
                continue;
            }
            type = U32(head, littleEndian);
            uint length = U32(head.AsSpan(4), littleEndian);
            if (length < 12 || length > 1 << 20) throw new InvalidDataException($"pcapng: block of implausible length {length} after packet {number}");
            var body = new byte[length - 8];
            if (stream.ReadAtLeast(body, body.Length, false) < body.Length) throw new InvalidDataException($"pcapng: the file ends inside a block after packet {number}");
            switch (type)
            {
                case 1:   // interface description
                    interfaces.Add(littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(body) : BinaryPrimitives.ReadUInt16BigEndian(body));
                    break;
                case 6:   // enhanced packet
                    {
                        int iface = (int)U32(body, littleEndian);
                        uint captured = U32(body.AsSpan(12), littleEndian);
                        number++;
                        if (iface >= interfaces.Count || 20 + captured > body.Length) throw new InvalidDataException($"pcapng: packet {number} names no interface or overruns its block");
                        yield return new CapturedFrame(interfaces[iface], number, body.AsMemory(20, (int)captured));
                        break;
                    }
                case 3:   // simple packet: interface 0, captured = block body
                    {
                        number++;
                        if (interfaces.Count == 0) throw new InvalidDataException($"pcapng: packet {number} before any interface");
                        uint original = U32(body, littleEndian);
                        int captured = (int)Math.Min(original, (uint)body.Length - 8);
                        yield return new CapturedFrame(interfaces[0], number, body.AsMemory(4, captured));
                        break;
                    }
            }
        }
    }

    private static void Skip(Stream stream, long count)
    {
        var buffer = new byte[4096];
        while (count > 0)
        {
            int got = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (got == 0) throw new InvalidDataException("pcapng: the file ends inside a section header");
            count -= got;
        }
    }

    private static uint U32(ReadOnlySpan<byte> bytes, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
