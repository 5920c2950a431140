using DnsFp.Server.Bands;

namespace DnsFp.Tests.Server.Bands;

public sealed class BandTests
{
    [Theory]
    [InlineData(100, 0, "127.0.0.10")]
    [InlineData(91, 9, "127.0.0.10")]      // 9 %
    [InlineData(90, 10, "127.0.0.11")]     // exactly 10 %
    [InlineData(81, 19, "127.0.0.11")]     // the article's Linux
    [InlineData(44, 56, "127.0.0.15")]     // Windows 98 noSACK
    [InlineData(1, 2, "127.0.0.16")]       // 66.7 %: floor, not round
    [InlineData(11, 89, "127.0.0.18")]
    [InlineData(3, 97, "127.0.0.19")]      // AIX
    [InlineData(0, 5, "127.0.0.19")]       // 100 % is still band 9
    public void Ratio_to_band(long accepted, long rejected, string band) => Assert.Equal(band, BandTable.ToText(BandTable.Rated(accepted, rejected)));

    [Fact]
    public void Label_then_class_then_unrated()
    {
        var labels = new List<LabelRater.LabelCounts>
        {
            new(1, "Windows 98 noSACK", "Windows", 44, 56),   // 100 verdicts: own ratio
            new(2, "Windows 2000", "Windows", 20, 10),        // 30: the class's (64 + 66 = 130 verdicts, 66 rejected)
            new(3, "FreeBSD", "FreeBSD", 4, 1),               // 5, class 5: unrated
            new(4, "FreeBSD 5.4", "FreeBSD", 0, 0),
        };
        var r = LabelRater.Rate(labels, 50);
        Assert.Equal((BandTable.RatedBase + 5, RatingBasis.Label), (r[1].Band, r[1].Basis));
        Assert.Equal((BandTable.RatedBase + 5, RatingBasis.Class, 64L, 66L), (r[2].Band, r[2].Basis, r[2].Accepted, r[2].Rejected));
        Assert.Equal((BandTable.Unrated, RatingBasis.Unrated), (r[3].Band, r[3].Basis));
        Assert.Equal(BandTable.Unrated, r[4].Band);
    }

    [Fact]
    public void Txt_is_printable_and_cut_at_255_bytes()
    {
        var rdata = TxtFormat.Rdata(new string('x', 300) + "\u00e9\t");
        Assert.Equal(255, rdata[0]);
        Assert.Equal(256, rdata.Length);
        var printable = TxtFormat.Rdata("Linux\t2.6\u00e9");
        Assert.Equal("Linux?2.6?", System.Text.Encoding.ASCII.GetString(printable, 1, printable[0]));
    }

    [Fact]
    public void Labels_with_a_signature_climb_signature_then_name_then_class()
    {
        const string A = "Linux 3.11 and newer [4:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0]", B = "Linux 3.11 and newer [6:64:0:*:mss*20,7:mss,sok,ts,nop,ws:flow:0]";
        var labels = new List<LabelRater.LabelCounts>
        {
            new(1, A, "Linux", 10, 50),                   // 60 verdicts: its own
            new(2, B, "Linux", 5, 5),                     // 10: its name's (A + B = 70)
            new(3, "Linux 2.6 [4:64:0:*:mss*4,7:mss,sok,ts,nop,ws:df,id+:0]", "Linux", 2, 2),   // 4, its name has 4: the class (74 + 4 + 0)
            new(4, "unnamed [4:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0]", "Unknown", 40, 20),  // 60: its own
            new(5, "unnamed [4:64:0:*:65535,6:mss,nop,ws,sok,ts:df:0]", "Unknown", 1, 1),         // 2: name "unnamed" (62)
        };
        var r = LabelRater.Rate(labels, 50);
        Assert.Equal((RatingBasis.Signature, 60L), (r[1].Basis, r[1].Accepted + r[1].Rejected));
        Assert.Equal((RatingBasis.Name, 70L), (r[2].Basis, r[2].Accepted + r[2].Rejected));
        Assert.Equal((RatingBasis.Class, 74L), (r[3].Basis, r[3].Accepted + r[3].Rejected));
        Assert.Equal((RatingBasis.Signature, 60L), (r[4].Basis, r[4].Accepted + r[4].Rejected));
        Assert.Equal((RatingBasis.Name, 62L), (r[5].Basis, r[5].Accepted + r[5].Rejected));
        Assert.Equal(A + "; 83% spam of 60 verdicts (signature)", TxtFormat.Text(A, "Linux", r[1]));
        Assert.Equal(B + "; 78% spam of 70 verdicts (name Linux 3.11 and newer)", TxtFormat.Text(B, "Linux", r[2]));
        Assert.True(TxtFormat.Text(new string('x', 120) + " [" + new string('y', 200) + "]", "x", r[1]).Length <= 255);
    }
}
