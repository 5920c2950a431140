namespace DnsFp.Agent.Following;

/// <summary>A complete line of a followed log and its stable id: the same line gets the same id however often it is
/// read (file identity + byte offset), so facts made from it are counted once.</summary>
internal readonly record struct FollowedLine(string Text, string Id);
