namespace DnsFp.Contract;

/// <summary>
/// One listing as layout 2 stores it (DnsFp.Contract/README.md, "Listings"): a 32-bit value holding the label id,
/// the day of the last observation (mod 4096), the sources that observed the address and the weeks between first and
/// last observation. Stored signed, so Redis keeps it in its 32-bit integer encoding; the fold script packs the same
/// bits from these constants.
/// </summary>
public readonly record struct ListingRecord(int LabelId, int LastDay, ObservationSources Sources, int FirstSeenWeeks)
{
    public const int LabelBits = 13, DayBits = 12, SourceBits = 4, WeekBits = 3;
    public const int DayShift = LabelBits, SourceShift = DayShift + DayBits, WeekShift = SourceShift + SourceBits;
    public const int MaxLabelId = (1 << LabelBits) - 1;
    public const int DayModulus = 1 << DayBits;
    public const int MaxWeeks = (1 << WeekBits) - 1;

    /// <summary>
    /// Days a passive observation (pf, p0f, capture, import) keeps its listing against an active probe's result: a
    /// probe (which stores no source bits) never changes a listing a passive source saw in this time, and replaces one
    /// seen only longer ago with a record of its own.
    /// </summary>
    public const int PassiveWinsDays = 30;

    /// <summary>The bits of <see cref="ObservationSources"/> a record stores; <see cref="ObservationSources.Probe"/> is not one.</summary>
    public const int StoredSources = (1 << SourceBits) - 1;

    /// <summary>Longest MaxAge the day arithmetic is exact for: half the day cycle.</summary>
    public const int MaxAgeDaysLimit = DayModulus / 2 - 1;

    /// <summary>Days since 1970-01-01 UTC.</summary>
    public static int DayNumber(DateTimeOffset time) => (int)Math.Floor(time.ToUnixTimeSeconds() / 86400.0);

    /// <summary>The UTC date of a <see cref="DayNumber"/>.</summary>
    public static DateOnly DateOf(int dayNumber) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + dayNumber);

    /// <summary>The stored form: the packed bits as a signed 32-bit integer.</summary>
    public int Pack()
    {
        if (LabelId is < 1 or > MaxLabelId) throw new ArgumentOutOfRangeException(nameof(LabelId), LabelId, $"label ids are 1 to {MaxLabelId}");
        uint bits = (uint)LabelId
            | (uint)(LastDay & (DayModulus - 1)) << DayShift
            | ((uint)Sources & ((1u << SourceBits) - 1)) << SourceShift
            | (uint)Math.Clamp(FirstSeenWeeks, 0, MaxWeeks) << WeekShift;
        return unchecked((int)bits);
    }

    public static ListingRecord Unpack(int stored)
    {
        uint bits = unchecked((uint)stored);
        return new ListingRecord(
            (int)(bits & MaxLabelId),
            (int)(bits >> DayShift) & (DayModulus - 1),
            (ObservationSources)((bits >> SourceShift) & ((1u << SourceBits) - 1)),
            (int)(bits >> WeekShift));
    }

    /// <summary>The label id alone, for the query path (no unpacking of the rest).</summary>
    public static int LabelOf(int stored) => stored & MaxLabelId;

    /// <summary>Whole days since the last observation, for a stored record and today's <see cref="DayNumber"/>.</summary>
    public static int AgeDays(int stored, int today) => (today - ((stored >> DayShift) & (DayModulus - 1))) & (DayModulus - 1);

    /// <summary>Listed while the last observation is at most <paramref name="maxAgeDays"/> whole days old.</summary>
    public static bool IsCurrent(int stored, int today, int maxAgeDays) => AgeDays(stored, today) <= maxAgeDays;

    /// <summary>The record of an address observed for the first time, on day <paramref name="day"/>.</summary>
    public static ListingRecord First(int labelId, int day, ObservationSources source) => new(labelId, day & (DayModulus - 1), source, 0);

    /// <summary>
    /// The record after one more observation on day <paramref name="day"/> (never later than <paramref name="today"/>):
    /// the newest observation's label wins, sources accumulate, the first-seen distance grows. A probe's result
    /// (no stored source bit) yields to a passive observation of the last <see cref="PassiveWinsDays"/> days.
    /// </summary>
    public ListingRecord Observe(int labelId, int day, ObservationSources source, int today)
    {
        day = Math.Min(day, today);
        int oldAge = (today - LastDay) & (DayModulus - 1);
        int newAge = today - day;
        if (((int)source & StoredSources) == 0 && ((int)Sources & StoredSources) != 0)
            return oldAge <= PassiveWinsDays || newAge >= oldAge ? this : First(labelId, day, ObservationSources.None);
        int firstAge = oldAge + FirstSeenWeeks * 7;
        bool newer = newAge <= oldAge;
        int lastAge = newer ? newAge : oldAge;
        return new ListingRecord(
            newer ? labelId : LabelId,
            newer ? day & (DayModulus - 1) : LastDay,
            Sources | source,
            Math.Min(MaxWeeks, (Math.Max(firstAge, newAge) - lastAge) / 7));
    }
}

/// <summary>The sources that can observe an address, as bits of a <see cref="ListingRecord"/>.</summary>
[Flags]
public enum ObservationSources
{
    None = 0,
    Pf = 1,
    P0f = 2,
    Capture = 4,
    Import = 8,

    /// <summary>
    /// An active probe of the agent (DnsFp.Agent/Probing/): a fact's source only. Its listing records no source bit,
    /// which is how the fold tells it from a passive one (<see cref="ListingRecord.Observe"/>).
    /// </summary>
    Probe = 16,
}
