using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Ratings;
using StackExchange.Redis;

namespace DnsFp.Server.Lifecycle;

/// <summary>
/// Everything that explains what DNS answers for one address, read from Redis with the same record, policy, rating
/// and TXT format the server uses: what "dnsfp-server lookup" prints.
/// </summary>
internal sealed record ListingExplanation(
    IPAddress Address,
    ListingStatus Status,
    string Why,
    string? Label,
    string? Class,
    DateOnly? FirstSeen,
    bool FirstSeenAtLeast,
    DateOnly? LastSeen,
    string? Sources,
    IReadOnlyList<string> AgentHosts,
    LabelRating? Rating,
    int WindowDays,
    string? A,
    string? Txt,
    DateTimeOffset? ExpiresAt,
    Delisting? Delisting,
    AddressRange? Exclusion)
{
    /// <param name="policy">The policy the server applies now (<c>OperatorContext.PolicyAsync</c>): MaxAge, exclusions, delistings in force.</param>
    public static async Task<ListingExplanation> ReadAsync(IDatabase db, IPAddress address, ListingPolicy policy, BandOptions bands, DateTimeOffset now)
    {
        address = Fact.Canonical(address);
        var recordTask = db.HashGetAsync(AddressBuckets.KeyFor(address), AddressBuckets.FieldFor(address));
        var agentsTask = db.HashGetAllAsync(RedisKeys.Agents);
        var labels = await VerdictWindow.ReadAsync(db, bands.WindowDays, DateOnly.FromDateTime(now.UtcDateTime));
        var stored = await recordTask;
        int? record = !stored.IsNull && stored.TryParse(out int r) && r != 0 ? r : null;
        int today = policy.Today, maxAgeDays = policy.MaxAgeDays;
        var status = policy.StatusOf(address, record);

        string? label = null, cls = null, sources = null, a = null, txt = null;
        DateOnly? first = null, last = null;
        bool firstSeenAtLeast = false;
        DateTimeOffset? expires = null;
        LabelRating? rating = null;
        var hosts = new List<string>();
        if (record is int rec)
        {
            var unpacked = ListingRecord.Unpack(rec);
            int age = ListingRecord.AgeDays(rec, today);
            var lastDay = ListingRecord.DateOf(today - age);
            last = lastDay;
            first = lastDay.AddDays(-7 * unpacked.FirstSeenWeeks);
            firstSeenAtLeast = unpacked.FirstSeenWeeks == ListingRecord.MaxWeeks;
            expires = new DateTimeOffset(lastDay.AddDays(maxAgeDays + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            sources = SourceNames.Of(unpacked.Sources);
            var counts = labels.FirstOrDefault(l => l.Id == unpacked.LabelId);
            if (counts is not null)
            {
                label = counts.Label; cls = counts.Class;
                rating = LabelRater.Rate(labels, bands.MinimumVerdicts)[counts.Id];
                if (status == ListingStatus.Listed) { a = BandTable.ToText(rating.Band); txt = TxtFormat.Text(counts.Label, counts.Class, rating); }
            }
            foreach (var e in await agentsTask)
            {
                var parts = e.Name.ToString().Split('\t');
                if (parts.Length == 2 && sources.Split(',').Contains(parts[1], StringComparer.Ordinal)) hosts.Add($"{parts[0]} ({parts[1]})");
            }
        }
        var delisting = policy.Delistings.FirstOrDefault(d => d.Range.Contains(address));
        var exclusion = policy.Excluded.Matching(address);
        string why = status switch
        {
            ListingStatus.Listed => "listed: observed within Listing:MaxAge, not excluded, not delisted",
            ListingStatus.NeverSeen => "not listed: never observed (or forgotten, or swept after it expired)",
            ListingStatus.Expired => $"not listed: expired, last observed {ListingRecord.AgeDays(record!.Value, today)} days ago (Listing:MaxAge is {maxAgeDays} days); the sweep removes it from Redis",
            ListingStatus.Excluded => $"not listed: excluded by {exclusion} (Listing:Exclude, Listing:ExcludeFile or a reserved range); never stored, verdicts not counted",
            _ => $"not listed: delisted by {delisting!.User} on {delisting.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC until {delisting.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {delisting.Reason}",
        };
        return new ListingExplanation(address, status, why, label, cls, first, firstSeenAtLeast, last, sources, hosts, rating, bands.WindowDays, a, txt,
            status is ListingStatus.Listed or ListingStatus.Delisted ? expires : null, delisting, exclusion);
    }

    public static string StatusName(ListingStatus status) => status switch
    {
        ListingStatus.Listed => "listed",
        ListingStatus.NeverSeen => "never-seen",
        ListingStatus.Expired => "expired",
        ListingStatus.Excluded => "excluded",
        _ => "delisted",
    };

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        void Line(string name, string? value) { if (value is not null) sb.Append(inv, $"{name + ":",-12} {value}").Append('\n'); }
        Line("address", Address.ToString());
        Line("status", StatusName(Status));
        Line("why", Why);
        Line("label", Label);
        Line("class", Class);
        if (FirstSeen is { } f) Line("first seen", (FirstSeenAtLeast ? "on or before " : "") + f.ToString("yyyy-MM-dd", inv) + (FirstSeen == LastSeen ? " (within a week of last seen)" : " (to the week)"));
        if (LastSeen is { } l) Line("last seen", l.ToString("yyyy-MM-dd", inv) + " (UTC day)");
        Line("sources", Sources);
        if (Sources is not null) Line("agents", AgentHosts.Count == 0 ? "unknown (no agent host has reported these sources)" : string.Join(", ", AgentHosts) + " (hosts running these sources; not kept per address)");
        if (Rating is { } rt)
        {
            string basis = RatingLevel.Describe(rt.Basis, Label ?? "", Class ?? "") ?? "unrated (too few verdicts at every level)";
            Line("verdicts", string.Create(inv, $"{rt.Accepted} accepted, {rt.Rejected} rejected in the last {WindowDays} days; rated by {basis}"));
            Line("band", $"{BandTable.ToText(rt.Band)} ({BandTable.Meaning(rt.Band)})");
        }
        Line("A", A ?? "none (NXDOMAIN)");
        Line("TXT", Txt is null ? "none (NXDOMAIN)" : "\"" + Txt + "\"");
        if (ExpiresAt is { } e) Line("expires", string.Create(inv, $"{e.UtcDateTime:yyyy-MM-dd HH:mm} UTC unless observed again"));
        if (Delisting is { } d) Line("delisted", string.Create(inv, $"until {d.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {d.User} ({d.Range}): {d.Reason}"));
        if (Exclusion is { } x) Line("excluded by", x.ToString());
        return sb.ToString();
    }

    public string ToJson()
    {
        var inv = CultureInfo.InvariantCulture;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            // written by hand rather than serialised: no reflection, so the native (AOT) build keeps working
            w.WriteStartObject();
            w.WriteString("address", Address.ToString());
            w.WriteBoolean("listed", Status == ListingStatus.Listed);
            w.WriteString("status", StatusName(Status));
            w.WriteString("why", Why);
            WriteOrNull(w, "label", Label);
            WriteOrNull(w, "class", Class);
            WriteOrNull(w, "firstSeen", FirstSeen?.ToString("yyyy-MM-dd", inv));
            WriteOrNull(w, "lastSeen", LastSeen?.ToString("yyyy-MM-dd", inv));
            w.WriteStartArray("sources");
            if (Sources is not null) foreach (var s in Sources.Split(',')) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteStartArray("agentHosts");
            foreach (var h in AgentHosts) w.WriteStringValue(h);
            w.WriteEndArray();
            if (Rating is { } rt)
            {
                w.WriteStartObject("verdicts");
                w.WriteNumber("accepted", rt.Accepted);
                w.WriteNumber("rejected", rt.Rejected);
                w.WriteNumber("windowDays", WindowDays);
                w.WriteString("ratedBy", RatingLevel.Name(rt.Basis));
                w.WriteEndObject();
                w.WriteString("band", BandTable.ToText(rt.Band));
            }
            else w.WriteNull("verdicts");
            WriteOrNull(w, "a", A);
            WriteOrNull(w, "txt", Txt);
            WriteOrNull(w, "expires", ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv));
            if (Delisting is { } d)
            {
                w.WriteStartObject("delisting");
                w.WriteString("range", d.Range.ToString());
                w.WriteString("until", d.Until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv));
                w.WriteString("at", d.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv));
                w.WriteString("user", d.User);
                w.WriteString("reason", d.Reason);
                w.WriteEndObject();
            }
            else w.WriteNull("delisting");
            WriteOrNull(w, "excludedBy", Exclusion?.ToString());
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }
}
