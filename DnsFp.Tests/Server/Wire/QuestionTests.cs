using DnsFp.Server.Wire;

namespace DnsFp.Tests.Server.Wire;

public sealed class QuestionTests
{
    private static readonly byte[] TestEntryQuery =
    [
        0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,   // id ABCD, RD, QDCOUNT 1        0-11
        1, 0x32, 1, 0x30, 1, 0x30, 3, 0x31, 0x32, 0x37,   // "2" "0" "0" "127"             12-21
        2, 0x46, 0x70, 0,                                 // "Fp" (0x20 case) root         22-25
        0, 16, 0, 1,                                      // TXT IN                        26-29
    ];

    [Fact]
    public void Reads_name_type_class_and_keeps_case()
    {
        Assert.True(Question.TryRead(TestEntryQuery, out var q));
        Assert.Equal(16, q.Type);
        Assert.Equal(1, q.Class);
        Assert.Equal(30, q.End);
        Assert.Equal("2.0.0.127.Fp", WireName.ToText(q.Name));
    }

    [Fact]
    public void Every_truncation_fails_without_throwing()
    {
        for (int i = 0; i < TestEntryQuery.Length; i++) Assert.False(Question.TryRead(TestEntryQuery.AsSpan(0, i), out _));
    }

    [Fact]
    public void Names_over_255_bytes_are_refused()
    {
        var m = new List<byte>(TestEntryQuery[..12]);
        for (int i = 0; i < 5; i++) { m.Add(63); m.AddRange(Enumerable.Repeat((byte)'a', 63)); }
        m.AddRange([0, 0, 1, 0, 1]);
        Assert.False(Question.TryRead(m.ToArray(), out _));
    }
}
