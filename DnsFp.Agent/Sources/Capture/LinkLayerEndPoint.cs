using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DnsFp.Agent.Sources.Capture;

/// <summary>A Linux sockaddr_ll (AF_PACKET address): which interface and which ethertype a packet socket binds to.</summary>
internal sealed class LinkLayerEndPoint(int interfaceIndex, ushort etherType) : EndPoint
{
    private const int SockaddrLlSize = 20;

    public override AddressFamily AddressFamily => AddressFamily.Packet;

    public override SocketAddress Serialize()
    {
        var address = new SocketAddress(AddressFamily.Packet, SockaddrLlSize);
        var bytes = address.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], etherType);                    // sll_protocol, network order
        BinaryPrimitives.WriteInt32LittleEndian(bytes[4..], interfaceIndex);             // sll_ifindex, host order (Linux is LE here)
        return address;
    }

    public override EndPoint Create(SocketAddress socketAddress) => this;
}
