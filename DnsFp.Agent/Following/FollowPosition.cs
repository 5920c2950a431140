using System.Text.Json;
using DnsFp.Agent.Spool;

namespace DnsFp.Agent.Following;

/// <summary>
/// Where a follower is in its log, saved in STATE_DIR: the file's identity (a hash of its first line, which a
/// rotated-in file never shares), the byte offset after the last line whose facts are spooled, and any state the
/// line reader carries between lines (Postfix's open queue ids). Saved atomically after the facts are spooled.
/// </summary>
internal sealed record FollowPosition(string? Identity, long Offset, Dictionary<string, string>? ReaderState)
{
    public static FollowPosition Start { get; } = new(null, 0, null);

    public static FollowPosition Load(string path)
    {
        if (!File.Exists(path)) return Start;
        return JsonSerializer.Deserialize(File.ReadAllText(path), FollowPositionJson.Default.FollowPosition) ?? Start;
    }

    public void Save(string path) => AtomicFile.Write(path, JsonSerializer.Serialize(this, FollowPositionJson.Default.FollowPosition));
}

[System.Text.Json.Serialization.JsonSerializable(typeof(FollowPosition))]
internal sealed partial class FollowPositionJson : System.Text.Json.Serialization.JsonSerializerContext;
