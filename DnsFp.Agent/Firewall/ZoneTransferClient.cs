using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace DnsFp.Agent.Firewall;

/// <summary>
/// Asks a DNS server for the zone over TCP: AXFR the first time, then IXFR with the serial we hold (RFC 1995), which
/// costs one SOA when nothing changed and the differences when the server kept them. A server that stays silent
/// for <see cref="IdleTimeout"/> between messages ends the try. Unsigned: the server must allow this host by address.
/// </summary>
internal sealed class ZoneTransferClient(string zone, IPEndPoint server)
{
    private const ushort TypeIxfr = 251, TypeAxfr = 252;

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);

    public async Task<ZoneTransfer> TransferAsync(uint? knownSerial, BandList bands, CancellationToken stop)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        idle.CancelAfter(IdleTimeout);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(server, idle.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            ushort id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
            await stream.WriteAsync(Query(id, knownSerial), idle.Token);
            var parser = new TransferParser(zone, knownSerial, bands);
            var length = new byte[2];
            var message = new byte[ushort.MaxValue];
            while (!parser.Done)
            {
                idle.CancelAfter(IdleTimeout);
                int got = await stream.ReadAtLeastAsync(length, 2, throwOnEndOfStream: false, idle.Token);
                if (got < 2) throw new InvalidDataException($"{server} closed the connection before the transfer of {zone} was complete");
                int size = BinaryPrimitives.ReadUInt16BigEndian(length);
                await stream.ReadExactlyAsync(message.AsMemory(0, size), idle.Token);
                parser.Read(message.AsSpan(0, size), id);
            }
            return parser.Result;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new TimeoutException($"{server} sent nothing for {IdleTimeout.TotalSeconds:F0} s during the transfer of {zone}");
        }
    }

    /// <summary>The query with its TCP length prefix: AXFR, or IXFR with our SOA in the authority section (RFC 1995 3).</summary>
    private byte[] Query(ushort id, uint? knownSerial)
    {
        var name = new List<byte>();
        foreach (var label in zone.TrimEnd('.').Split('.'))
        {
            name.Add((byte)label.Length);
            name.AddRange(Encoding.ASCII.GetBytes(label));
        }
        name.Add(0);
        var m = new List<byte>(64);
        void U16(int v) { m.Add((byte)(v >> 8)); m.Add((byte)v); }
        void U32(uint v) { U16((int)(v >> 16)); U16((int)(v & 0xFFFF)); }
        U16(0); // length, filled in below
        U16(id); U16(0); U16(1); U16(0); U16(knownSerial is null ? 0 : 1); U16(0);
        m.AddRange(name); U16(knownSerial is null ? TypeAxfr : TypeIxfr); U16(1);
        if (knownSerial is { } serial)
        {
            m.AddRange(name); U16(TransferReader.TypeSoa); U16(1); U32(0); U16(2 + 20);
            m.Add(0); m.Add(0); U32(serial); U32(0); U32(0); U32(0); U32(0);
        }
        var bytes = m.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(bytes.Length - 2));
        return bytes;
    }
}
