using System.Buffers.Binary;
using System.Text;

namespace DnsFp.Agent.Sources.P0f;

/// <summary>
/// A p0f v3 API reply, 232 bytes in host byte order: magic 0x50304602, status (0x00 bad query, 0x10 OK,
/// 0x20 no match), counters, then NUL-padded strings: os_name at 40 and os_flavor at 72 (32 bytes each).
/// </summary>
internal readonly record struct P0fApiReply(P0fApiReply.Status Result, string OsName, string OsFlavor, byte MatchQuality)
{
    public const int Size = 232;
    public const uint Magic = 0x50304602;

    public enum Status : uint { BadQuery = 0x00, Ok = 0x10, NoMatch = 0x20 }

    /// <summary>Match quality bits (os_match_q): 1 fuzzy, 2 generic signature.</summary>
    public bool Fuzzy => (MatchQuality & 1) != 0;
    public bool Generic => (MatchQuality & 2) != 0;

    /// <summary>"Linux 2.2.x-3.x": the label p0f itself logs (os=name flavor).</summary>
    public string Label => OsFlavor.Length == 0 ? OsName : OsName + " " + OsFlavor;

    public static bool TryRead(ReadOnlySpan<byte> reply, out P0fApiReply result)
    {
        result = default;
        if (reply.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(reply) != Magic) return false;
        result = new P0fApiReply((Status)BinaryPrimitives.ReadUInt32LittleEndian(reply[4..]), CString(reply.Slice(40, 32)), CString(reply.Slice(72, 32)), reply[39]);
        return true;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]).Trim();
    }
}
