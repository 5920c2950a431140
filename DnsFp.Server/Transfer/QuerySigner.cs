using System.Buffers.Binary;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Transfer;

/// <summary>
/// Signs the answer to a TSIG-signed query (RFC 8945 5.3): secondaries sign their SOA checks as well as their
/// transfers, and BIND refuses an unsigned answer to them. A request whose signature does not verify gets NOTAUTH
/// with the TSIG error instead of the answer. Only signed queries come here, so the plain query path stays as it is.
/// </summary>
internal sealed class QuerySigner(TransferPolicy policy, TimeProvider time)
{
    private const int NotAuth = 9;

    /// <summary>Signs or rewrites the <paramref name="length"/> bytes of <paramref name="response"/>; returns the new length.</summary>
    public int Sign(ReadOnlySpan<byte> query, Span<byte> response, int length)
    {
        var check = Tsig.Verify(query, policy.Current.Keys, time.GetUtcNow());
        switch (check.Outcome)
        {
            case Tsig.Outcome.Valid:
                {
                    var signer = new Tsig.Signer(check.Key!, check.RequestMac, check.OriginalId);
                    return length + signer.Size <= response.Length ? signer.Sign(response, length, time.GetUtcNow()) : length;
                }
            case Tsig.Outcome.UnknownKey or Tsig.Outcome.BadSignature or Tsig.Outcome.BadTime:
                {
                    // the question alone, NOTAUTH, and an unsigned TSIG naming the error
                    int end = Question.TryRead(response, out var q) ? q.End : DnsHeader.Size;
                    ushort flags = (ushort)((BinaryPrimitives.ReadUInt16BigEndian(response[2..]) & 0xFFF0) | NotAuth);
                    BinaryPrimitives.WriteUInt16BigEndian(response[2..], flags);
                    response[6..12].Clear();
                    ushort error = check.Outcome switch { Tsig.Outcome.UnknownKey => Tsig.BadKey, Tsig.Outcome.BadSignature => Tsig.BadSig, _ => Tsig.BadTime };
                    return end + Tsig.ErrorSize(check) <= response.Length ? Tsig.AppendError(response, end, check, error) : end;
                }
            default:
                return length;
        }
    }
}
