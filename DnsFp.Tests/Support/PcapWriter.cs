using System.Buffers.Binary;

namespace DnsFp.Tests.Support;

/// <summary>Writes capture files the way tcpdump (classic pcap) and dumpcap (pcapng) do, over several link types.</summary>
public static class PcapWriter
{
    public const int Ethernet = 1, Null = 0, Raw = 101, LinuxCooked = 113, LinuxCooked2 = 276;

    /// <summary>Wraps an IP datagram in the given link layer's header (Ethernet optionally with a VLAN tag).</summary>
    public static byte[] Frame(int linkType, byte[] ip, bool vlan = false)
    {
        bool v6 = ip[0] >> 4 == 6;
        byte[] etherType = v6 ? [0x86, 0xDD] : [0x08, 0x00];
        return linkType switch
        {
            Ethernet => [.. new byte[] { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 }, .. vlan ? new byte[] { 0x81, 0x00, 0x00, 0x0A } : [], .. etherType, .. ip],
            Null => [(byte)(v6 ? 30 : 2), 0, 0, 0, .. ip],
            Raw => ip,
            LinuxCooked => [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, .. etherType, .. ip],
            LinuxCooked2 => [.. etherType, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, .. ip],
            _ => throw new ArgumentOutOfRangeException(nameof(linkType)),
        };
    }

    /// <summary>Classic pcap, little-endian; nanosecond magic on request.</summary>
    public static byte[] Classic(int linkType, IEnumerable<byte[]> frames, bool nanoseconds = false, bool bigEndian = false)
    {
        var file = new List<byte>();
        void U32(uint v) { var b = new byte[4]; if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v); file.AddRange(b); }
        void U16(ushort v) { var b = new byte[2]; if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v); file.AddRange(b); }
        U32(nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4);
        U16(2); U16(4); U32(0); U32(0); U32(65535); U32((uint)linkType);
        uint second = 1_700_000_000;
        foreach (var frame in frames)
        {
            U32(second++); U32(0); U32((uint)frame.Length); U32((uint)frame.Length);
            file.AddRange(frame);
        }
        return [.. file];
    }

    /// <summary>pcapng: a section header, one interface of the given link type, one enhanced packet block per frame.</summary>
    public static byte[] Ng(int linkType, IEnumerable<byte[]> frames)
    {
        var file = new List<byte>();
        void U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); file.AddRange(b); }
        U32(0x0A0D0D0A); U32(28); U32(0x1A2B3C4D); file.AddRange(new byte[] { 1, 0, 0, 0 }); U32(0xFFFFFFFF); U32(0xFFFFFFFF); U32(28);
        U32(1); U32(20); U32((uint)linkType); U32(65535); U32(20);
        foreach (var frame in frames)
        {
            int padded = (frame.Length + 3) & ~3;
            uint length = (uint)(32 + padded);
            U32(6); U32(length); U32(0); U32(0); U32(0); U32((uint)frame.Length); U32((uint)frame.Length);
            file.AddRange(frame); file.AddRange(new byte[padded - frame.Length]);
            U32(length);
        }
        return [.. file];
    }
}
