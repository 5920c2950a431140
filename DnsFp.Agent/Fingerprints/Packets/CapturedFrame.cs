namespace DnsFp.Agent.Fingerprints.Packets;

/// <summary>One frame of a capture file: its link type (LINKTYPE_*), and the bytes captured.</summary>
internal readonly record struct CapturedFrame(int LinkType, long Number, ReadOnlyMemory<byte> Data);
