using System.Runtime.InteropServices;
using DnsFp.Server.Engine;

namespace DnsFp.Server.Transports;

/// <summary>
/// Linux only: receives up to <see cref="Batch"/> datagrams with one recvmmsg(2) and sends all their answers with one
/// sendmmsg(2), as NSD's handle_udp does, instead of one system call per packet each way. Buffers, iovecs and
/// address slots are allocated once per worker in native memory, so the loop allocates nothing.
/// </summary>
internal sealed unsafe class BatchedUdpLoop : IDisposable
{
    public const int Batch = 32;
    private const int BufferSize = 65535;                // any datagram the socket can deliver is read whole (native memory, once per worker)
    private const int AddressSize = 128;                 // sockaddr_storage
    private const int MsgWaitForOne = 0x10000, MsgDontWait = 0x40;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec { public void* Base; public nuint Length; }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name; public uint NameLength; public IoVec* Iov; public nuint IovLength;
        public void* Control; public nuint ControlLength; public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr { public MsgHdr Header; public uint Length; }

    [DllImport("libc", SetLastError = true)]
    private static extern int recvmmsg(nint fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int sendmmsg(nint fd, MMsgHdr* messages, uint count, int flags);

    private readonly byte* _requests, _responses, _addresses;
    private readonly IoVec* _inVecs, _outVecs;
    private readonly MMsgHdr* _in, _out;

    public BatchedUdpLoop()
    {
        _requests = (byte*)NativeMemory.Alloc(Batch * BufferSize);
        _responses = (byte*)NativeMemory.Alloc(Batch * (nuint)AnswerEngine.MaxUdpWithoutEdns * 4);
        _addresses = (byte*)NativeMemory.AllocZeroed(Batch * AddressSize);
        _inVecs = (IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(IoVec)));
        _outVecs = (IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(IoVec)));
        _in = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(MMsgHdr)));
        _out = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(MMsgHdr)));
    }

    /// <summary>
    /// One round: receive up to <see cref="Batch"/> datagrams (blocking until the first arrives, up to the socket's
    /// receive timeout, when <paramref name="wait"/>; else only what is queued), answer them, send the answers.
    /// Returns how many datagrams were received (0 on timeout or when nothing was queued).
    /// </summary>
    public int Round(nint fd, AnswerEngine engine, bool wait)
    {
        const int responseSize = AnswerEngine.MaxUdpWithoutEdns * 4;  // 2048: room for EDNS answers up to 1232 bytes
        for (int i = 0; i < Batch; i++)
        {
            _inVecs[i] = new IoVec { Base = _requests + i * BufferSize, Length = BufferSize };
            _in[i].Header = new MsgHdr { Name = _addresses + i * AddressSize, NameLength = AddressSize, Iov = &_inVecs[i], IovLength = 1 };
            _in[i].Length = 0;
        }
        int received = recvmmsg(fd, _in, Batch, wait ? MsgWaitForOne : MsgDontWait, null);
        if (received <= 0) return 0;                               // timeout, nothing queued (EAGAIN) or interrupted
        int answers = 0;
        for (int i = 0; i < received; i++)
        {
            var query = new ReadOnlySpan<byte>(_requests + i * BufferSize, (int)Math.Min(_in[i].Length, BufferSize));
            var response = new Span<byte>(_responses + answers * responseSize, responseSize);
            var client = Client.FromSockaddr(new ReadOnlySpan<byte>(_addresses + i * AddressSize, (int)_in[i].Header.NameLength), AnswerEngine.Transport.Udp);
            int length = engine.Answer(query, response, client);
            if (length == 0) continue;
            _outVecs[answers] = new IoVec { Base = _responses + answers * responseSize, Length = (nuint)length };
            _out[answers].Header = new MsgHdr { Name = _addresses + i * AddressSize, NameLength = _in[i].Header.NameLength, Iov = &_outVecs[answers], IovLength = 1 };
            answers++;
        }
        for (int sent = 0; sent < answers;)
        {
            int n = sendmmsg(fd, _out + sent, (uint)(answers - sent), 0);
            if (n <= 0) break;                                     // a full send buffer: the rest are lost, like any UDP
            sent += n;
        }
        return received;
    }

    public void Dispose()
    {
        NativeMemory.Free(_requests); NativeMemory.Free(_responses); NativeMemory.Free(_addresses);
        NativeMemory.Free(_inVecs); NativeMemory.Free(_outVecs); NativeMemory.Free(_in); NativeMemory.Free(_out);
    }
}
