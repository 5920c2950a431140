using DnsFp.Contract;

namespace DnsFp.Tests.Contract;

public sealed class ListingRecordTests
{
    [Theory]
    [InlineData(1, 0, ObservationSources.Pf, 0)]
    [InlineData(8191, 4095, ObservationSources.Pf | ObservationSources.P0f | ObservationSources.Capture | ObservationSources.Import, 7)]
    [InlineData(400, 20428 % 4096, ObservationSources.Import, 3)]
    public void Packs_into_a_signed_32_bit_value_and_back(int label, int day, ObservationSources sources, int weeks)
    {
        var record = new ListingRecord(label, day, sources, weeks);
        int stored = record.Pack();
        Assert.Equal(record, ListingRecord.Unpack(stored));
        Assert.Equal(label, ListingRecord.LabelOf(stored));
    }

    [Fact]
    public void Label_ids_outside_13_bits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListingRecord(0, 1, ObservationSources.Pf, 0).Pack());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListingRecord(8192, 1, ObservationSources.Pf, 0).Pack());
    }

    [Fact]
    public void Age_counts_whole_days_across_the_4096_day_wrap()
    {
        int today = ListingRecord.DayNumber(new DateTimeOffset(2026, 12, 16, 0, 0, 0, TimeSpan.Zero));
        int lastSeen = ListingRecord.DayNumber(new DateTimeOffset(2026, 12, 1, 23, 59, 59, TimeSpan.Zero));
        int stored = ListingRecord.First(5, lastSeen, ObservationSources.Pf).Pack();
        Assert.Equal(15, ListingRecord.AgeDays(stored, today));
        Assert.True(ListingRecord.IsCurrent(stored, today - 1, 14));      // 15 Dec: still listed
        Assert.False(ListingRecord.IsCurrent(stored, today, 14));         // 16 Dec: expired

        int beforeWrap = 4096 * 5 - 2, afterWrap = 4096 * 5 + 3;          // the stored day wraps to 4094, today to 3
        Assert.Equal(5, ListingRecord.AgeDays(ListingRecord.First(5, beforeWrap, ObservationSources.Pf).Pack(), afterWrap));
    }

    [Fact]
    public void Observing_again_refreshes_last_seen_keeps_first_seen_and_adds_the_source()
    {
        int day = 20_400;
        var r = ListingRecord.First(7, day, ObservationSources.Pf);
        r = r.Observe(9, day + 15, ObservationSources.P0f, today: day + 15);
        Assert.Equal(9, r.LabelId);                                        // the newest observation names the OS
        Assert.Equal((day + 15) % 4096, r.LastDay);
        Assert.Equal(ObservationSources.Pf | ObservationSources.P0f, r.Sources);
        Assert.Equal(2, r.FirstSeenWeeks);                                 // first seen 15 days before the last

        var late = r.Observe(3, day + 1, ObservationSources.Import, today: day + 16);   // an old fact arriving late
        Assert.Equal(9, late.LabelId);
        Assert.Equal(r.LastDay, late.LastDay);
        Assert.Equal(ObservationSources.Pf | ObservationSources.P0f | ObservationSources.Import, late.Sources);

        var future = r.Observe(4, day + 40, ObservationSources.Pf, today: day + 20);    // a clock ahead: clamped to today
        Assert.Equal((day + 20) % 4096, future.LastDay);
        Assert.Equal(ListingRecord.MaxWeeks, r.Observe(1, day + 200, ObservationSources.Pf, day + 200).FirstSeenWeeks);
    }

    [Fact]
    public void An_IPv4_address_comes_back_from_its_bucket_and_field()
    {
        var random = new Random(5);
        for (int i = 0; i < 10_000; i++)
        {
            uint address = (uint)random.NextInt64(0, 1L << 32);
            int bucket = AddressBuckets.V4Bucket(address), field = AddressBuckets.V4Field(address);
            Assert.InRange(field, 0, (1 << 17) - 1);
            Assert.Equal(address, AddressBuckets.V4FromBucketField(bucket, field));
        }
        Assert.Equal(1u, AddressBuckets.V4Scramble * AddressBuckets.V4Unscramble);
    }
}
